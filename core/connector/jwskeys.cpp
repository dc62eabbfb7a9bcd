#include "core/connector/jwskeys.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

JwsKeyDirectory::JwsKeyDirectory(const QString &directory, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
{
    if (m_directory.isEmpty())
        return;
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { reload(); });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { reload(); });
    reload();
}

std::optional<Fspiop::Jws::VerificationKey> JwsKeyDirectory::key(const QString &fspId) const
{
    const auto it = m_keys.constFind(fspId);
    if (it == m_keys.constEnd())
        return std::nullopt;
    return *it;
}

void JwsKeyDirectory::reload()
{
    if (m_directory.isEmpty())
        return;
    QHash<QString, Fspiop::Jws::VerificationKey> keys;
    QStringList warnings;
    const QDir dir(m_directory);
    const QFileInfoList files = dir.entryInfoList({u"*.pem"_s}, QDir::Files | QDir::Readable);
    QStringList paths;
    for (const QFileInfo &info : files) {
        QFile file(info.absoluteFilePath());
        if (!file.open(QIODevice::ReadOnly)) {
            warnings << u"JWS_VERIFICATION_KEYS_DIRECTORY: cannot read %1"_s.arg(info.fileName());
            continue;
        }
        auto key = Fspiop::Jws::VerificationKey::fromPem(file.readAll());
        if (!key) {
            warnings << u"JWS_VERIFICATION_KEYS_DIRECTORY: %1: %2"_s.arg(info.fileName(),
                                                                        key.error().message);
            continue;
        }
        keys.insert(info.completeBaseName(), *key);
        paths << info.absoluteFilePath();
    }
    m_keys = std::move(keys);
    m_warnings = std::move(warnings);
    if (m_watcher) {
        if (!m_watcher->files().isEmpty())
            m_watcher->removePaths(m_watcher->files());
        if (m_watcher->directories().isEmpty() && dir.exists())
            m_watcher->addPath(dir.absolutePath());
        if (!paths.isEmpty())
            m_watcher->addPaths(paths);
    }
}

} // namespace Pm::Connector
