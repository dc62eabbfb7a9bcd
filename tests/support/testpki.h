#pragma once

#include "core/base/result.h"

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QString>

#include <memory>

namespace Pm::Test {

/** A certificate with its private key, as Qt objects and as PEM files on disk. */
struct TestIdentity
{
    QSslCertificate certificate;
    QSslKey privateKey;
    QString certificatePath; ///< PEM certificate
    QString privateKeyPath;  ///< PEM PKCS#8 private key, unencrypted, mode 0600
};

/** Key algorithm of a TestPki: EC P-256 is fast to generate; RSA 2048 matches most hubs. */
enum class TestKeyType { EcP256, Rsa2048 };

/**
 * A throwaway PKI generated with OpenSSL 3 for one test run (practice 17): a CA, a server certificate
 * for 127.0.0.1, ::1 and localhost (serverAuth), a client certificate (clientAuth), and an unrelated
 * second CA with a client certificate of its own for "wrong CA" cases. Certificates are valid from an
 * hour ago for two days and carry random 128-bit serial numbers.
 */
class TestPki
{
public:
    /** Generates everything and writes the PEM files into `directory` (which must exist). */
    static Result<TestPki> create(const QString &directory, TestKeyType keyType = TestKeyType::EcP256);

    TestPki(TestPki &&) noexcept;
    TestPki &operator=(TestPki &&) noexcept;
    ~TestPki();

    const TestIdentity &ca() const;
    /** CN=localhost, SAN IP:127.0.0.1, IP:::1, DNS:localhost; issued by ca(). */
    const TestIdentity &server() const;
    /** CN=test-client; issued by ca(). */
    const TestIdentity &client() const;
    /** A CA unrelated to ca(). */
    const TestIdentity &otherCa() const;
    /** CN=test-client; issued by otherCa(), so a server trusting ca() must reject it. */
    const TestIdentity &otherCaClient() const;

    /** Issues one more client certificate from ca(), with a new key and a new serial number. */
    Result<TestIdentity> issueClient(const QString &commonName);
    /** Issues one more server certificate like server() from ca(), with a new key and serial. */
    Result<TestIdentity> issueServer();

    /**
     * Server TLS: server() certificate and key, ca() as the client CA, and `mode` (VerifyPeer:
     * clients must present a certificate issued by ca()).
     */
    QSslConfiguration serverConfiguration(
        QSslSocket::PeerVerifyMode mode = QSslSocket::VerifyPeer) const;
    /** Client TLS trusting ca(); presents `identity` if given (mutual TLS). */
    QSslConfiguration clientConfiguration(const TestIdentity *identity = nullptr) const;
    /** Client TLS trusting only `trusted`; presents `identity` if given. */
    static QSslConfiguration clientConfiguration(const QList<QSslCertificate> &trusted,
                                                 const TestIdentity *identity);

private:
    struct State;
    explicit TestPki(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace Pm::Test
