// A Secret Service that cannot store anything: a D-Bus session where gnome-keyring-daemon is
// started by D-Bus activation with no login keyring (keychain-session.sh --no-keyring). Lookups
// answer "not found" there while writes fail, so the keychain must be reported unusable with the
// clear message, and nothing may appear in the keychain.

#include "core/secrets/keychainstore.h"
#include "tests/pki/opensslcli.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm::Secrets;
using Pm::Test::runProgram;

class TestKeychainNoKeyring : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariable("PM_TEST_KEYCHAIN_SESSION") == u"no-keyring"_s,
            "run through tests/secrets/keychain-session.sh --no-keyring");
    }

    void unusableKeychainIsAClearError()
    {
        const QString service
            = u"Payment Manager Test %1"_s.arg(QCoreApplication::applicationPid());
        KeychainStore store(service);
        auto probe = store.checkAvailable();
        QVERIFY(!probe);
        QCOMPARE(probe.error().message, keychainUnavailableMessage());
        QVERIFY2(probe.error().detail.contains(u"collection"_s), qPrintable(probe.error().detail));

        auto written = store.write(u"tls-key"_s, "secret-bytes");
        QVERIFY(!written);
        QCOMPARE(written.error().message, keychainUnavailableMessage());
        // Nothing was stored: not by us, and not by the daemon somewhere else.
        auto read = store.read(u"tls-key"_s);
        QVERIFY(!read || !read->has_value());
        const auto outside = runProgram(
            u"secret-tool"_s, { u"lookup"_s, u"user"_s, u"tls-key"_s, u"server"_s, service });
        QVERIFY(!outside.ok());
        QVERIFY(outside.out.isEmpty());

        SecretStoreSettings settings;
        settings.service = service;
        auto opened = openSecretStore(settings);
        QVERIFY(!opened);
        QCOMPARE(opened.error().message, keychainUnavailableMessage());
    }
};

QTEST_GUILESS_MAIN(TestKeychainNoKeyring)
#include "tst_keychain_nokeyring.moc"
