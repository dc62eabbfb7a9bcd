// pm_secrets without a keychain: the passphrase-encrypted file store (round trip, wrong
// passphrase, tampering, file contents, the KDF cross-checked with `openssl kdf`) and the
// keychain store where no keychain service exists (a clear error, nothing written anywhere).
// ctest points DBUS_SESSION_BUS_ADDRESS at a socket that does not exist.

#include "core/pki/key.h"
#include "core/secrets/encryptedfilestore.h"
#include "core/secrets/keychainstore.h"
#include "core/secrets/keys.h"
#include "tests/pki/opensslcli.h"

#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace Pm::Secrets;
using Pm::Test::errorOf;
using Pm::Test::openssl;
using Pm::Test::readFile;
using Pm::Test::writeFile;

namespace {
const QByteArray passphrase = "correct horse battery";
// Cheap scrypt cost for tests that open many stores; the default cost has its own test.
const EncryptedFileStore::KdfCost cheap { 12, 8, 1 };
} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString newPath() { return m_dir.filePath(u"store%1.pmsec"_s.arg(++m_counter)); }

    /** Flips one bit at `offset` (negative: from the end). */
    static void flip(const QString &path, qsizetype offset)
    {
        QByteArray data = readFile(path);
        if (offset < 0)
            offset += data.size();
        data[offset] = char(data[offset] ^ 0x01);
        QVERIFY(writeFile(path, data));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTripAcrossReopen()
    {
        const QString path = newPath();
        QByteArray binary("k\0e\xffy", 5);
        {
            auto store = EncryptedFileStore::openOrCreate(path, passphrase, cheap);
            QVERIFY2(store, qPrintable(errorOf(store)));
            QVERIFY((*store)->names().isEmpty());
            QVERIFY((*store)->write(u"env/sandbox/client-secret"_s, "s3cr3t-value"));
            QVERIFY((*store)->write(u"env/sandbox/binary"_s, binary));
            QVERIFY((*store)->write(u"env/sandbox/client-secret"_s, "replaced-value"));
            auto missing = (*store)->read(u"nothing-here"_s);
            QVERIFY(missing);
            QVERIFY(!missing->has_value());
        }
        auto reopened = EncryptedFileStore::open(path, passphrase);
        QVERIFY2(reopened, qPrintable(errorOf(reopened)));
        QCOMPARE((*reopened)->names(),
            (QStringList { u"env/sandbox/binary"_s, u"env/sandbox/client-secret"_s }));
        auto value = (*reopened)->read(u"env/sandbox/client-secret"_s);
        QVERIFY(value && value->has_value());
        QCOMPARE(**value, QByteArray("replaced-value"));
        auto bin = (*reopened)->read(u"env/sandbox/binary"_s);
        QVERIFY(bin && bin->has_value());
        QCOMPARE(**bin, binary);

        QVERIFY((*reopened)->remove(u"env/sandbox/binary"_s));
        QVERIFY((*reopened)->remove(u"env/sandbox/binary"_s)); // absent: still fine
        auto again = EncryptedFileStore::open(path, passphrase);
        QVERIFY(again);
        QCOMPARE((*again)->names(), QStringList { u"env/sandbox/client-secret"_s });
    }

    void fileNeverHoldsThePlainSecret()
    {
        const QString path = newPath();
        auto key = Pm::Pki::PrivateKey::generate(Pm::Pki::KeyType::EcP256);
        QVERIFY(key);
        auto store = EncryptedFileStore::openOrCreate(path, passphrase, cheap);
        QVERIFY(store);
        const QByteArray secret = "a-very-recognisable-client-secret-0123456789";
        QVERIFY((*store)->write(u"hub/client-secret"_s, secret));
        QVERIFY2(writePrivateKey(**store, u"hub/tls-key"_s, *key),
            qPrintable(errorOf(writePrivateKey(**store, u"hub/tls-key"_s, *key))));

        const QByteArray raw = readFile(path);
        QVERIFY(raw.startsWith("PMSECRT1"));
        QVERIFY(!raw.contains(secret));
        QVERIFY(!raw.contains(secret.toBase64()));
        QVERIFY(!raw.contains(secret.left(16)));
        QVERIFY(!raw.contains("hub/client-secret")); // names are encrypted too
        const QByteArray der = key->toDer();
        QVERIFY(!raw.contains(der.mid(der.size() - 40))); // the private scalar's bytes
        QVERIFY(!raw.contains(key->toPem().mid(30, 40)));
        struct stat info
        {
        };
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u); // owner read/write only

        // The key comes back as the same key.
        auto reopened = EncryptedFileStore::open(path, passphrase);
        QVERIFY(reopened);
        auto back = readPrivateKey(**reopened, u"hub/tls-key"_s);
        QVERIFY2(back && back->has_value(), qPrintable(errorOf(back)));
        QCOMPARE((*back)->publicKeyDer(), key->publicKeyDer());
        QCOMPARE((*back)->toDer(), der);
        auto none = readPrivateKey(**reopened, u"hub/other-key"_s);
        QVERIFY(none && !none->has_value());
        auto notAKey = readPrivateKey(**reopened, u"hub/client-secret"_s);
        QVERIFY(!notAKey);
        QVERIFY(notAKey.error().message.contains(u"hub/client-secret"_s));
    }

    void everyWriteUsesAFreshNonce()
    {
        const QString path = newPath();
        auto store = EncryptedFileStore::openOrCreate(path, passphrase, cheap);
        QVERIFY(store);
        QVERIFY((*store)->write(u"a"_s, "same"));
        const QByteArray first = readFile(path);
        QVERIFY((*store)->write(u"a"_s, "same"));
        const QByteArray second = readFile(path);
        QCOMPARE(first.size(), second.size());
        QCOMPARE(first.left(8 + 4 + 16 + 32), second.left(8 + 4 + 16 + 32)); // header unchanged
        QVERIFY(first.mid(60, 12) != second.mid(60, 12)); // nonce differs
        QVERIFY(first.mid(72) != second.mid(72));
    }

    void wrongPassphraseIsAClearError()
    {
        const QString path = newPath();
        {
            auto store = EncryptedFileStore::openOrCreate(path, passphrase, cheap);
            QVERIFY(store);
            QVERIFY((*store)->write(u"x"_s, "value"));
        }
        auto wrong = EncryptedFileStore::open(path, "correct horse batterz");
        QVERIFY(!wrong);
        QVERIFY2(
            wrong.error().message.startsWith(u"Wrong passphrase for the encrypted secret store"_s),
            qPrintable(wrong.error().message));
        QVERIFY(wrong.error().message.contains(path));
        // openOrCreate on an existing file never replaces it with a new store.
        auto wrong2 = EncryptedFileStore::openOrCreate(path, "another passphrase", cheap);
        QVERIFY(!wrong2);
        QVERIFY(wrong2.error().message.startsWith(u"Wrong passphrase"_s));
        QVERIFY(EncryptedFileStore::open(path, passphrase));
    }

    void tamperingIsDetected_data()
    {
        QTest::addColumn<qsizetype>("offset");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ciphertext") << qsizetype(80) << u"was altered or is damaged"_s;
        QTest::newRow("tag") << qsizetype(-1) << u"was altered or is damaged"_s;
        QTest::newRow("nonce") << qsizetype(62) << u"was altered or is damaged"_s;
        QTest::newRow("kdf id") << qsizetype(8) << u"unknown key derivation"_s;
        QTest::newRow("salt") << qsizetype(14) << u"Wrong passphrase"_s;
        QTest::newRow("magic") << qsizetype(0)
                               << u"is not a Payment Manager encrypted secret store"_s;
    }

    void tamperingIsDetected()
    {
        QFETCH(qsizetype, offset);
        QFETCH(QString, expected);
        const QString path = newPath();
        {
            auto store = EncryptedFileStore::openOrCreate(path, passphrase, cheap);
            QVERIFY(store);
            QVERIFY((*store)->write(u"payee/jws-key"_s, QByteArray(300, 'k')));
        }
        QVERIFY(EncryptedFileStore::open(path, passphrase));
        flip(path, offset);
        auto opened = EncryptedFileStore::open(path, passphrase);
        QVERIFY(!opened);
        QVERIFY2(opened.error().message.contains(expected), qPrintable(opened.error().message));
    }

    void truncatedOrMissingFile()
    {
        const QString path = newPath();
        {
            auto store = EncryptedFileStore::openOrCreate(path, passphrase, cheap);
            QVERIFY(store);
        }
        QVERIFY(writeFile(path, readFile(path).left(40)));
        auto truncated = EncryptedFileStore::open(path, passphrase);
        QVERIFY(!truncated);
        QVERIFY2(truncated.error().message.contains(u"truncated"_s),
            qPrintable(truncated.error().message));
        auto missing = EncryptedFileStore::open(m_dir.filePath(u"none.pmsec"_s), passphrase);
        QVERIFY(!missing);
        QVERIFY(missing.error().message.startsWith(u"There is no encrypted secret store at"_s));
    }

    void passphraseAndNamesAreChecked()
    {
        auto empty = EncryptedFileStore::openOrCreate(newPath(), {}, cheap);
        QVERIFY(!empty);
        QCOMPARE(empty.error().message,
            u"The encrypted secret store needs a passphrase of at least 8 characters"_s);
        QVERIFY(!EncryptedFileStore::openOrCreate(newPath(), "1234567", cheap));
        auto store = EncryptedFileStore::openOrCreate(newPath(), "12345678", cheap);
        QVERIFY(store);
        auto noName = (*store)->write(QString(), "x");
        QVERIFY(!noName);
        QCOMPARE(noName.error().message, u"A secret needs a name"_s);
        QVERIFY(!(*store)->write(u"bad\nname"_s, "x"));
        QVERIFY(!(*store)->write(QString(201, u'n'), "x"));
    }

    /** The default cost, and the KDF recomputed by `openssl kdf`: the header's verifier matches. */
    void defaultCostMatchesOpensslKdf()
    {
        const QString path = newPath();
        {
            auto store = EncryptedFileStore::openOrCreate(path, passphrase);
            QVERIFY(store);
            QVERIFY((*store)->write(u"a"_s, "b"));
        }
        const QByteArray raw = readFile(path);
        QCOMPARE(int(raw[8]), 1); // scrypt
        QCOMPARE(int(raw[9]), 15); // N = 2^15
        QCOMPARE(int(raw[10]), 8);
        QCOMPARE(int(raw[11]), 1);
        const QByteArray salt = raw.mid(12, 16);
        const QByteArray verifier = raw.mid(28, 32);
        auto kdf = openssl({ u"kdf"_s, u"-keylen"_s, u"64"_s, u"-kdfopt"_s,
            u"pass:"_s + QString::fromUtf8(passphrase), u"-kdfopt"_s,
            u"hexsalt:"_s + QString::fromLatin1(salt.toHex()), u"-kdfopt"_s, u"n:32768"_s,
            u"-kdfopt"_s, u"r:8"_s, u"-kdfopt"_s, u"p:1"_s, u"-kdfopt"_s,
            u"maxmem_bytes:134217728"_s, u"SCRYPT"_s });
        QVERIFY2(kdf.ok(), kdf.all().constData());
        const QByteArray derived = QByteArray::fromHex(kdf.out.trimmed().replace(':', ""));
        QCOMPARE(derived.size(), 64);
        QCOMPARE(derived.mid(32).toHex(), verifier.toHex());
        QVERIFY(EncryptedFileStore::open(path, passphrase));
    }

    void factoryOpensTheChosenStore()
    {
        QCOMPARE(secretStoreKindName(SecretStoreKind::EncryptedFile), u"encrypted-file"_s);
        QCOMPARE(*secretStoreKindFromName(u"Keychain"_s), SecretStoreKind::Keychain);
        auto bad = secretStoreKindFromName(u"plain"_s);
        QVERIFY(!bad);
        QCOMPARE(bad.error().message,
            u"Secret store 'plain' is not known: use 'keychain' or 'encrypted-file'"_s);

        SecretStoreSettings settings;
        settings.kind = SecretStoreKind::EncryptedFile;
        QCOMPARE(openSecretStore(settings).error().message,
            u"The encrypted file secret store needs a file path"_s);
        settings.filePath = newPath();
        settings.passphrase = passphrase;
        auto store = openSecretStore(settings);
        QVERIFY2(store, qPrintable(errorOf(store)));
        QCOMPARE((*store)->description(), u"encrypted file "_s + settings.filePath);
        QVERIFY((*store)->write(u"k"_s, "v"));
        QVERIFY(QFile::exists(settings.filePath));
    }

    /** No D-Bus session: a clear error naming the way out, and nothing stored anywhere. */
    void noKeychainBackend()
    {
        QVERIFY2(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").contains(u"nonexistent"_s),
            "ctest runs this test with DBUS_SESSION_BUS_ADDRESS pointing nowhere");
        QTemporaryDir home;
        QVERIFY(home.isValid());
        // Where QtKeychain's insecure fallback (QSettings) would write, were it ever enabled.
        qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
        qputenv("HOME", home.path().toUtf8());

        KeychainStore keychain(u"Payment Manager Test"_s);
        auto probe = keychain.checkAvailable();
        QVERIFY(!probe);
        QCOMPARE(probe.error().message, keychainUnavailableMessage());
        QVERIFY(probe.error().message.contains(u"never stores keys in plain text"_s));
        QVERIFY(probe.error().message.contains(u"encrypted-file"_s));
        QVERIFY2(!probe.error().detail.isEmpty(), "the backend's own error is kept as detail");

        auto written = keychain.write(u"tls-key"_s, "secret-bytes");
        QVERIFY(!written);
        QCOMPARE(written.error().message, keychainUnavailableMessage());
        auto read = keychain.read(u"tls-key"_s);
        QVERIFY(!read); // an error, not "absent" and not a value from some fallback
        QCOMPARE(read.error().message, keychainUnavailableMessage());
        QVERIFY(!keychain.remove(u"tls-key"_s));

        SecretStoreSettings settings; // the default: keychain
        auto store = openSecretStore(settings);
        QVERIFY(!store);
        QCOMPARE(store.error().message, keychainUnavailableMessage());

        QDirIterator it(home.path(), QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
            QDirIterator::Subdirectories);
        QVERIFY2(!it.hasNext(),
            qPrintable(u"a file was written: "_s + (it.hasNext() ? it.next() : QString())));
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
