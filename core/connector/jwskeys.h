#pragma once

#include "core/fspiop/jws.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

QT_BEGIN_NAMESPACE
class QFileSystemWatcher;
QT_END_NAMESPACE

namespace Pm::Connector {

/**
 * The peers' JWS verification keys: `<directory>/<fspId>.pem`, loaded at start and reloaded when
 * the directory or a key file changes (QFileSystemWatcher), as the reference reloads them with
 * fs.watch. A file that does not parse is skipped with a warning. Service thread only.
 */
class JwsKeyDirectory : public QObject
{
    Q_OBJECT
public:
    explicit JwsKeyDirectory(const QString &directory, QObject *parent = nullptr);

    /** The key for `fspId`, or nullopt. */
    std::optional<Fspiop::Jws::VerificationKey> key(const QString &fspId) const;
    /** Reads the directory again now. */
    void reload();
    /** The fspIds with a key. */
    QStringList fspIds() const { return m_keys.keys(); }
    /** Problems met by the last reload (one line each). */
    const QStringList &warnings() const { return m_warnings; }

private:
    QString m_directory;
    QFileSystemWatcher *m_watcher = nullptr;
    QHash<QString, Fspiop::Jws::VerificationKey> m_keys;
    QStringList m_warnings;
};

} // namespace Pm::Connector
