// pm_secrets against the real OS keychain: a Secret Service (gnome-keyring-daemon) on a private
// D-Bus session started by keychain-session.sh. Every secret is read back from outside the
// process with `secret-tool`, which talks to the same daemon: proof that the entries live in the
// keychain and not in some in-process or on-disk fallback.

#include "core/pki/key.h"
#include "core/secrets/keychainstore.h"
#include "core/secrets/keys.h"
#include "tests/pki/opensslcli.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm::Secrets;
using Pm::Test::CliResult;
using Pm::Test::errorOf;
using Pm::Test::runProgram;

class TestKeychain : public QObject
{
    Q_OBJECT

private:
    const QString m_service = u"Payment Manager Test %1"_s.arg(QCoreApplication::applicationPid());

    /** `secret-tool lookup` for QtKeychain's attributes (user = name, server = service). */
    CliResult lookup(const QString &name) const
    {
        return runProgram(
            u"secret-tool"_s, { u"lookup"_s, u"user"_s, name, u"server"_s, m_service });
    }
    /** What secret-tool prints, decoded: QtKeychain files binary data as base64 text. */
    QByteArray lookedUp(const QString &name) const
    {
        const CliResult result = lookup(name);
        if (!result.ok())
            return "<secret-tool failed: " + result.all() + ">";
        return QByteArray::fromBase64(
            result.out.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariable("PM_TEST_KEYCHAIN_SESSION") == u"1"_s,
            "run through tests/secrets/keychain-session.sh (a D-Bus session with "
            "gnome-keyring-daemon unlocked)");
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "no D-Bus session");
    }

    void keychainAnswers()
    {
        KeychainStore store(m_service);
        auto ok = store.checkAvailable();
        QVERIFY2(ok, qPrintable(errorOf(ok)));
        // The probe entry is written and removed again.
        QVERIFY(!lookup(u"pm-keychain-probe"_s).ok());
        SecretStoreSettings settings;
        settings.service = m_service;
        auto opened = openSecretStore(settings);
        QVERIFY2(opened, qPrintable(errorOf(opened)));
        QCOMPARE((*opened)->description(), u"OS keychain (service '%1')"_s.arg(m_service));
    }

    void writeReadAndSeenFromOutside()
    {
        KeychainStore store(m_service);
        const QByteArray secret("client-secret\0with-binary\xff\x01", 27);
        auto written = store.write(u"env/sandbox/client-secret"_s, secret);
        QVERIFY2(written, qPrintable(errorOf(written)));
        auto read = store.read(u"env/sandbox/client-secret"_s);
        QVERIFY2(read && read->has_value(), qPrintable(errorOf(read)));
        QCOMPARE(**read, secret);
        QCOMPARE(lookedUp(u"env/sandbox/client-secret"_s), secret);

        // Replaced in place.
        QVERIFY(store.write(u"env/sandbox/client-secret"_s, "second value"));
        QCOMPARE(lookedUp(u"env/sandbox/client-secret"_s), QByteArray("second value"));
        auto again = KeychainStore(m_service).read(u"env/sandbox/client-secret"_s);
        QVERIFY(again && again->has_value());
        QCOMPARE(**again, QByteArray("second value"));
    }

    void missingEntryIsAbsentNotAnError()
    {
        KeychainStore store(m_service);
        auto read = store.read(u"never-written"_s);
        QVERIFY2(read, qPrintable(errorOf(read)));
        QVERIFY(!read->has_value());
        const CliResult outside = lookup(u"never-written"_s);
        QVERIFY(!outside.ok());
        QVERIFY(outside.out.isEmpty());
    }

    void removeDeletesFromTheKeychain()
    {
        KeychainStore store(m_service);
        QVERIFY(store.write(u"to-remove"_s, "bye"));
        QCOMPARE(lookedUp(u"to-remove"_s), QByteArray("bye"));
        auto removed = store.remove(u"to-remove"_s);
        QVERIFY2(removed, qPrintable(errorOf(removed)));
        const CliResult outside = lookup(u"to-remove"_s);
        QVERIFY(!outside.ok());
        QVERIFY(outside.out.isEmpty());
        auto read = store.read(u"to-remove"_s);
        QVERIFY(read && !read->has_value());
        auto twice = store.remove(u"to-remove"_s);
        QVERIFY2(twice, qPrintable(errorOf(twice)));
    }

    void privateKeyLivesInTheKeychain()
    {
        auto key = Pm::Pki::PrivateKey::generate(Pm::Pki::KeyType::Rsa2048);
        QVERIFY(key);
        KeychainStore store(m_service);
        auto written = writePrivateKey(store, u"env/sandbox/tls-client-key"_s, *key);
        QVERIFY2(written, qPrintable(errorOf(written)));
        QCOMPARE(lookedUp(u"env/sandbox/tls-client-key"_s), key->toDer());
        auto back = readPrivateKey(store, u"env/sandbox/tls-client-key"_s);
        QVERIFY2(back && back->has_value(), qPrintable(errorOf(back)));
        QCOMPARE((*back)->publicKeyDer(), key->publicKeyDer());
        QCOMPARE((*back)->bits(), 2048);
    }

    void badNameRefusedBeforeTheKeychain()
    {
        KeychainStore store(m_service);
        auto bad = store.write(QString(), "x");
        QVERIFY(!bad);
        QCOMPARE(bad.error().message, u"A secret needs a name"_s);
    }

    void cleanupTestCase()
    {
        KeychainStore store(m_service);
        for (const QString &name :
            { u"env/sandbox/client-secret"_s, u"env/sandbox/tls-client-key"_s })
            QVERIFY(store.remove(name));
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
