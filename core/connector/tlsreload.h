#pragma once

#include "core/base/result.h"
#include "core/connector/config.h"

#include <QByteArray>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

#include <functional>
#include <optional>

QT_BEGIN_NAMESPACE
class QFileSystemWatcher;
QT_END_NAMESPACE

namespace Pm::Connector {

/** The TLS material of both sides, read from the IN_* and OUT_* files. */
struct TlsMaterial
{
    std::optional<QSslConfiguration> inbound;  ///< INBOUND_MUTUAL_TLS_ENABLED: the server side
    /** The client side: OUTBOUND_MUTUAL_TLS_ENABLED (hub) or OAUTH_MUTUAL_TLS_ENABLED (tokens). */
    std::optional<QSslConfiguration> outbound;
    QByteArray fingerprint;                    ///< SHA-256 over every file's bytes
};

/** What a connector presents now (for tests and the connection-health view). */
struct TlsStatus
{
    QSslCertificate inboundCertificate;  ///< IN_SERVER_CERT_PATH as loaded; null without inbound mTLS
    QSslCertificate outboundCertificate; ///< OUT_CLIENT_CERT_PATH as loaded; null without one
    int reloads = 0;                     ///< material replaced since start
    int refused = 0;                     ///< reload attempts refused (bad or mismatched files)
    QString lastError;                   ///< why the last refused attempt was refused
};

/**
 * Hot reload of the TLS files (IN_SERVER_CERT_PATH, IN_SERVER_KEY_PATH, IN_CA_CERT_PATH,
 * OUT_CLIENT_CERT_PATH, OUT_CLIENT_KEY_PATH, OUT_CA_CERT_PATH). The files and their directories
 * are watched, so an edit in place and an atomic rename over the file are both seen; events are
 * debounced. The new material is read and checked as at start (PEM parses, the key belongs to the
 * certificate); a half-written or mismatched set is refused with one log line and the current
 * material stays. Accepted material goes to `apply`, which hands it to the servers and clients for
 * the connections they open from then on; existing connections are not touched.
 *
 * Service thread only.
 */
class TlsReloader : public QObject
{
    Q_OBJECT
public:
    using Apply = std::function<void(const TlsMaterial &material)>;

    TlsReloader(const ConnectorConfig &config, Apply apply, QObject *parent = nullptr);
    ~TlsReloader() override;

    /** Reads and checks the material without applying it. */
    static Pm::Result<TlsMaterial> load(const ConnectorConfig &config);

    /** The material in use at start (already given to the servers and clients); starts watching. */
    void start(const TlsMaterial &initial);

    /**
     * Reads the files now and applies them if they changed and are valid. Returns whether new
     * material was applied, or why it was refused (the current material stays).
     */
    Pm::Result<bool> reload();

    TlsStatus status() const { return m_status; }
    /** Files watched (none when neither side uses mutual TLS). */
    QStringList watchedFiles() const { return m_files; }

private:
    void rewatch();
    void noteStatus(const TlsMaterial &material);

    ConnectorConfig m_config;
    Apply m_apply;
    QStringList m_files;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer m_debounce;
    QByteArray m_fingerprint;       ///< of the material in use
    QByteArray m_refusedFingerprint; ///< of the last refused files (logged once)
    TlsStatus m_status;
};

} // namespace Pm::Connector
