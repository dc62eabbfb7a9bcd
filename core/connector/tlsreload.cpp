#include "core/connector/tlsreload.h"

#include "core/connector/tls.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Pm::Connector {

Q_LOGGING_CATEGORY(lcTls, "pm.connector.tls")

namespace {

/** Debounce of file events: an editor or a copy writes in several steps. */
constexpr int kDebounceMs = 300;

QStringList tlsFiles(const ConnectorConfig &config)
{
    QStringList files;
    if (config.inboundTls.mutualTls) {
        files << config.inboundTls.certPath << config.inboundTls.keyPath << config.inboundTls.caCertPaths;
    }
    if (config.outboundTls.mutualTls || config.oauth.mutualTls) {
        files << config.outboundTls.certPath << config.outboundTls.keyPath << config.outboundTls.caCertPaths;
    }
    files.removeAll(QString());
    files.removeDuplicates();
    return files;
}

QByteArray fingerprintOf(const QStringList &files)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &path : files) {
        hash.addData(path.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            hash.addData(file.readAll());
        hash.addData(QByteArrayView("\0", 1));
    }
    return hash.result();
}

QString serialOf(const QSslCertificate &certificate)
{
    return certificate.isNull() ? u"none"_s : QString::fromLatin1(certificate.serialNumber());
}

} // namespace

TlsReloader::TlsReloader(const ConnectorConfig &config, Apply apply, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_apply(std::move(apply))
    , m_files(tlsFiles(config))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        (void)reload();
        rewatch();
    });
}

TlsReloader::~TlsReloader() = default;

Pm::Result<TlsMaterial> TlsReloader::load(const ConnectorConfig &config)
{
    TlsMaterial material;
    // The fingerprint is taken before reading: a change during the read shows up as a new event.
    material.fingerprint = fingerprintOf(tlsFiles(config));
    if (config.inboundTls.mutualTls) {
        auto inbound = inboundTlsConfiguration(config.inboundTls);
        if (!inbound)
            return std::unexpected(inbound.error());
        material.inbound = *inbound;
    }
    if (config.outboundTls.mutualTls || config.oauth.mutualTls) {
        auto outbound = outboundTlsConfiguration(config.outboundTls);
        if (!outbound)
            return std::unexpected(outbound.error());
        material.outbound = *outbound;
    }
    return material;
}

void TlsReloader::start(const TlsMaterial &initial)
{
    m_fingerprint = initial.fingerprint;
    noteStatus(initial);
    m_status.reloads = 0;
    if (m_files.isEmpty())
        return;
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { m_debounce.start(); });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { m_debounce.start(); });
    rewatch();
}

void TlsReloader::rewatch()
{
    if (!m_watcher)
        return;
    // A file replaced by a rename is no longer watched: watch it again, and its directory, which
    // sees the rename itself.
    QStringList files, dirs;
    for (const QString &path : std::as_const(m_files)) {
        if (QFileInfo::exists(path) && !m_watcher->files().contains(path))
            files << path;
        const QString dir = QFileInfo(path).absolutePath();
        if (!m_watcher->directories().contains(dir) && !dirs.contains(dir))
            dirs << dir;
    }
    if (!files.isEmpty())
        m_watcher->addPaths(files);
    if (!dirs.isEmpty())
        m_watcher->addPaths(dirs);
}

void TlsReloader::noteStatus(const TlsMaterial &material)
{
    if (material.inbound)
        m_status.inboundCertificate = material.inbound->localCertificate();
    if (material.outbound)
        m_status.outboundCertificate = material.outbound->localCertificate();
}

Pm::Result<bool> TlsReloader::reload()
{
    if (m_files.isEmpty())
        return false;
    const QByteArray current = fingerprintOf(m_files);
    if (current == m_fingerprint)
        return false;
    auto material = load(m_config);
    if (!material) {
        ++m_status.refused;
        m_status.lastError = material.error().message;
        // One line per distinct set of files: a file being written gives several events.
        if (current != m_refusedFingerprint) {
            m_refusedFingerprint = current;
            qCWarning(lcTls, "TLS files changed but were not loaded, the current certificates stay: %s",
                      qUtf8Printable(material.error().message));
        }
        return std::unexpected(material.error());
    }
    if (fingerprintOf(m_files) != current)
        return false; // changed while being read: the event of that change reads it again
    m_apply(*material);
    m_fingerprint = material->fingerprint;
    m_refusedFingerprint.clear();
    noteStatus(*material);
    ++m_status.reloads;
    qCInfo(lcTls, "TLS material reloaded: inbound certificate serial %s, outbound client certificate serial %s",
           qUtf8Printable(serialOf(m_status.inboundCertificate)),
           qUtf8Printable(serialOf(m_status.outboundCertificate)));
    return true;
}

} // namespace Pm::Connector
