// Checks the French and Spanish translations: lupdate finds nothing new or obsolete, lrelease
// reports nothing unfinished, and no translation equals its English source outside a short
// allow-list of names and codes.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

struct Message
{
    QString context;
    QString source;
    QString translation;
    QString type; // "", "unfinished", "obsolete", "vanished"
};

QList<Message> readTs(const QString &path)
{
    QList<Message> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == u"name"_s)
                context = xml.readElementText();
            else if (xml.name() == u"message"_s)
                current = Message { context, {}, {}, {} };
            else if (xml.name() == u"source"_s)
                current.source = xml.readElementText();
            else if (xml.name() == u"translation"_s) {
                current.type = xml.attributes().value(u"type"_s).toString();
                current.translation = xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == u"message"_s) {
            messages.append(current);
        }
    }
    return messages;
}

// Strings that are the same in every language: product names, codes, placeholders only.
const QSet<QString> &allowedIdentical()
{
    static const QSet<QString> allowed { u"Payment Manager"_s, u"Mojaloop"_s, u"FSPIOP"_s, u"JWS"_s,
        u"ILP"_s, u"OK"_s, u"%1"_s, u"ID"_s, u"URL"_s,
        // units and file formats
        u"%1 ms"_s, u"%1 s"_s, u"PNG…"_s, u"SVG…"_s, u"CSV…"_s,
        // the product name and a file path
        u"Payment Manager — %1"_s };
    return allowed;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void languages_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("fr") << u"fr"_s;
        QTest::newRow("es") << u"es"_s;
    }

    void languages()
    {
        QFETCH(QString, language);
        const QString original = QStringLiteral(PM_SOURCE_DIR) + u"/translations/paymentmanager_"_s
            + language + u".ts"_s;
        QVERIFY2(QFile::exists(original), qPrintable(original));

        // 1. lupdate over the sources finds no new and no obsolete string.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString copy = dir.filePath(u"copy.ts"_s);
        QVERIFY(QFile::copy(original, copy));
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
        QProcess lupdate;
        lupdate.setProcessChannelMode(QProcess::MergedChannels);
        const QString src = QStringLiteral(PM_SOURCE_DIR);
        lupdate.start(QStringLiteral(PM_LUPDATE),
            { u"-no-obsolete"_s, u"-locations"_s, u"none"_s, u"-I"_s, src, src + u"/ui"_s,
                src + u"/app/desktop"_s, u"-ts"_s, copy });
        QVERIFY(lupdate.waitForFinished(120000));
        QCOMPARE(lupdate.exitCode(), 0);

        const QList<Message> before = readTs(original);
        const QList<Message> after = readTs(copy);
        QVERIFY(!before.isEmpty());
        QSet<QString> beforeKeys, afterKeys;
        for (const Message &m : before)
            beforeKeys.insert(m.context + u'\x1f' + m.source);
        for (const Message &m : after)
            afterKeys.insert(m.context + u'\x1f' + m.source);
        const QSet<QString> added = afterKeys - beforeKeys;
        const QSet<QString> removed = beforeKeys - afterKeys;
        QVERIFY2(added.isEmpty(),
            qPrintable(u"strings missing from the .ts file (run the "
                       "update_translations target): "_s
                + QStringList(added.values()).join(u" | "_s)));
        QVERIFY2(removed.isEmpty(),
            qPrintable(u"obsolete strings in the .ts file: "_s
                + QStringList(removed.values()).join(u" | "_s)));

        // 2. Every string is finished and really translated.
        for (const Message &m : before) {
            QVERIFY2(
                m.type.isEmpty(), qPrintable(u"%1: '%2' is %3"_s.arg(language, m.source, m.type)));
            QVERIFY2(!m.translation.isEmpty(), qPrintable(m.source));
            if (m.translation == m.source)
                QVERIFY2(allowedIdentical().contains(m.source),
                    qPrintable(u"%1: '%2' is left in English"_s.arg(language, m.source)));
        }

        // 3. lrelease compiles it and reports nothing unfinished.
        QProcess lrelease;
        lrelease.setProcessChannelMode(QProcess::MergedChannels);
        lrelease.start(
            QStringLiteral(PM_LRELEASE), { original, u"-qm"_s, dir.filePath(u"x.qm"_s) });
        QVERIFY(lrelease.waitForFinished(60000));
        QCOMPARE(lrelease.exitCode(), 0);
        const QString output = QString::fromUtf8(lrelease.readAll());
        QVERIFY2(output.contains(u" 0 unfinished"_s), qPrintable(output));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
