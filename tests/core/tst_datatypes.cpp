#include "core/fspiop/datatypes.h"
#include "core/fspiop/schema.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm::Fspiop;
using namespace Pm::Fspiop::DataTypes;

namespace {

QString schemaPattern(ApiVersion version, QStringView type)
{
    const auto schema = Schema::schemaOf(version, type);
    if (!schema || !schema->contains("pattern"))
        return {};
    return QString::fromStdString((*schema)["pattern"].get<std::string>());
}

QString repeat(QStringView unit, int times)
{
    QString s;
    for (int i = 0; i < times; ++i)
        s += unit;
    return s;
}

} // namespace

class TestDataTypes : public QObject
{
    Q_OBJECT

private slots:
    void patternsAreTheSchemas()
    {
        // The constants must stay what the embedded official schemas say.
        QCOMPARE(CorrelationIdPatternV1.toString(), schemaPattern(Versions::V1_0, u"CorrelationId"));
        QCOMPARE(CorrelationIdPatternV1.toString(), schemaPattern(Versions::V1_1, u"CorrelationId"));
        QCOMPARE(CorrelationIdPatternV2.toString(), schemaPattern(Versions::V2_0, u"CorrelationId"));
        for (const ApiVersion &v : supportedVersions()) {
            QCOMPARE(DateTimePattern.toString(), schemaPattern(v, u"DateTime"));
            QCOMPARE(DatePattern.toString(), schemaPattern(v, u"Date"));
            QCOMPARE(DatePattern.toString(), schemaPattern(v, u"DateOfBirth"));
            QCOMPARE(NamePattern.toString(), schemaPattern(v, u"FirstName"));
            QCOMPARE(NamePattern.toString(), schemaPattern(v, u"MiddleName"));
            QCOMPARE(NamePattern.toString(), schemaPattern(v, u"LastName"));
            QCOMPARE(MerchantClassificationCodePattern.toString(), schemaPattern(v, u"MerchantClassificationCode"));
        }
        const auto types = Schema::schemaOf(Versions::V2_0, u"PartyIdType");
        QVERIFY(types.has_value());
        QStringList fromSchema;
        for (const auto &name : (*types)["enum"])
            fromSchema.append(QString::fromStdString(name.get<std::string>()));
        QCOMPARE(partyIdTypeNames(), fromSchema);
        const auto lengths = [](QStringView type) {
            const auto s = Schema::schemaOf(Versions::V2_0, type).value_or(nlohmann::ordered_json::object());
            return std::pair{s.value("minLength", -1), s.value("maxLength", -1)};
        };
        QCOMPARE(lengths(u"PartyIdentifier"), std::pair(1, 128));
        QCOMPARE(lengths(u"PartySubIdOrType"), std::pair(1, 128));
        QCOMPARE(lengths(u"FspId"), std::pair(1, 32));
        QCOMPARE(lengths(u"FirstName"), std::pair(1, 128));
    }

    void correlationId_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("v1");
        QTest::addColumn<bool>("v2");
        QTest::newRow("uuid v4") << u"b51ec534-ee48-4575-b6a9-ead2955b8069"_s << true << true;
        QTest::newRow("uuid v1") << u"a8098c1a-f86e-11da-bd1a-00112444be1e"_s << true << true;
        QTest::newRow("uuid v7") << u"01890a5d-ac96-774b-bcce-b302099a8057"_s << false << true;
        QTest::newRow("uuid v8") << u"01890a5d-ac96-874b-bcce-b302099a8057"_s << false << false;
        QTest::newRow("uppercase uuid") << u"B51EC534-EE48-4575-B6A9-EAD2955B8069"_s << false << false;
        QTest::newRow("bad variant") << u"b51ec534-ee48-4575-c6a9-ead2955b8069"_s << false << false;
        QTest::newRow("braces") << u"{b51ec534-ee48-4575-b6a9-ead2955b8069}"_s << false << false;
        QTest::newRow("no dashes") << u"b51ec534ee484575b6a9ead2955b8069"_s << false << false;
        QTest::newRow("ulid") << u"01ARYZ6S41TSV4RRFFQ69G5FAV"_s << false << true;
        QTest::newRow("lowercase ulid") << u"01aryz6s41tsv4rrffq69g5fav"_s << false << false;
        QTest::newRow("ulid with I") << u"01ARYZ6S41TSV4RRFFQ69G5FAI"_s << false << false;
        QTest::newRow("ulid 25") << u"01ARYZ6S41TSV4RRFFQ69G5FA"_s << false << false;
        QTest::newRow("uuid with newline") << u"b51ec534-ee48-4575-b6a9-ead2955b8069\n"_s << false << false;
    }

    void correlationId()
    {
        QFETCH(QString, value);
        QFETCH(bool, v1);
        QFETCH(bool, v2);
        const auto r1 = validateCorrelationId(value, u"transferId", Versions::V1_1);
        QCOMPARE(r1.has_value(), v1);
        if (!v1) {
            QCOMPARE(r1.error().code, 3101);
            QCOMPARE(r1.error().message, u"transferId: must be a lowercase UUID (versions 1-5)"_s);
        }
        const auto r2 = validateCorrelationId(value, u"transferId", Versions::V2_0);
        QCOMPARE(r2.has_value(), v2);
        if (!v2) {
            QCOMPARE(r2.error().code, 3101);
            QCOMPARE(r2.error().message, u"transferId: must be a lowercase UUID (versions 1-7) or an uppercase ULID"_s);
        }
    }

    void missingVersusEmpty()
    {
        const auto missing = validateCorrelationId(QString(), u"quoteId");
        QCOMPARE(missing.error().code, 3102);
        QCOMPARE(missing.error().message, u"quoteId: is required"_s);
        const auto empty = validateCorrelationId(u"", u"quoteId");
        QCOMPARE(empty.error().code, 3101);
        QCOMPARE(validateFspId(QStringView(), u"payeeFsp").error().code, 3102);
        QCOMPARE(validateFspId(u"", u"payeeFsp").error().code, 3101);
        QCOMPARE(validateName(QStringView(), u"payer.name").error().code, 3102);
        QCOMPARE(parseDate(QStringView(), u"dateOfBirth").error().code, 3102);
        QCOMPARE(parseDateTime(QStringView(), u"expiration").error().code, 3102);
        QCOMPARE(parsePartyIdType(QStringView(), u"partyIdType").error().code, 3102);
    }

    void generatedUuids()
    {
        QSet<QString> seen;
        for (int i = 0; i < 1000; ++i) {
            const QString id = generateUuid();
            QCOMPARE(id.size(), 36);
            QCOMPARE(id.at(14), u'4'); // version 4
            QVERIFY(QStringView(u"89ab").contains(id.at(19)));
            QVERIFY2(validateCorrelationId(id, u"id", Versions::V1_0).has_value(), qPrintable(id));
            QVERIFY(validateCorrelationId(id, u"id", Versions::V2_0).has_value());
            seen.insert(id);
        }
        QCOMPARE(seen.size(), 1000);
    }

    void generatedUlids()
    {
        QSet<QString> seen;
        QString previous;
        for (int i = 0; i < 1000; ++i) {
            const QString id = generateUlid();
            QCOMPARE(id.size(), 26);
            QVERIFY2(validateCorrelationId(id, u"id", Versions::V2_0).has_value(), qPrintable(id));
            QVERIFY(!validateCorrelationId(id, u"id", Versions::V1_1).has_value());
            QVERIFY2(previous < id, qPrintable(previous + u" !< "_s + id)); // monotonic
            previous = id;
            seen.insert(id);
        }
        QCOMPARE(seen.size(), 1000);
    }

    void ulidTimestamp()
    {
        // The ULID specification's example: 1469918176385 ms is "01ARYZ6S41".
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(1469918176385, Qt::UTC);
        QCOMPARE(generateUlid(t).left(10), u"01ARYZ6S41"_s);
        QCOMPARE(generateUlid(QDateTime::fromMSecsSinceEpoch(0, Qt::UTC)).left(10), u"0000000000"_s);
        // The largest 48-bit time starts with 7: the first character carries 3 bits.
        QCOMPARE(generateUlid(QDateTime::fromMSecsSinceEpoch((qint64(1) << 48) - 1, Qt::UTC)).left(10), u"7ZZZZZZZZZ"_s);
        // Same millisecond: the random part counts up by one.
        const QString a = generateUlid(t);
        const QString b = generateUlid(t);
        QVERIFY(a < b);
        QCOMPARE(a.left(10), b.left(10));
    }

    void dateTime_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("Z") << u"2025-01-01T00:00:00.000Z"_s << true;
        QTest::newRow("capture") << u"2026-12-03T16:06:51.180Z"_s << true;
        QTest::newRow("+02:00") << u"2025-06-30T23:59:59.999+02:00"_s << true;
        QTest::newRow("-05:30") << u"2025-06-30T23:59:59.999-05:30"_s << true;
        QTest::newRow("leap day") << u"2024-02-29T12:00:00.000Z"_s << true;
        QTest::newRow("2000 leap") << u"2000-02-29T12:00:00.000Z"_s << true;
        QTest::newRow("no ms") << u"2025-01-01T00:00:00Z"_s << false;
        QTest::newRow("6 digits") << u"2025-01-01T00:00:00.000000Z"_s << false;
        QTest::newRow("no zone") << u"2025-01-01T00:00:00.000"_s << false;
        QTest::newRow("+0200") << u"2025-01-01T00:00:00.000+0200"_s << false;
        QTest::newRow("space") << u"2025-01-01 00:00:00.000Z"_s << false;
        QTest::newRow("lowercase t") << u"2025-01-01t00:00:00.000Z"_s << false;
        QTest::newRow("not leap") << u"2025-02-29T00:00:00.000Z"_s << false;
        QTest::newRow("1900 not leap") << u"1900-02-29T00:00:00.000Z"_s << false;
        QTest::newRow("hour 24") << u"2025-01-01T24:00:00.000Z"_s << false;
        QTest::newRow("month 13") << u"2025-13-01T00:00:00.000Z"_s << false;
        QTest::newRow("year 0999") << u"0999-01-01T00:00:00.000Z"_s << false;
        QTest::newRow("arabic digits") << u"٢٠٢٥-01-01T00:00:00.000Z"_s << false;
    }

    void dateTime()
    {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        const auto parsed = parseDateTime(value, u"quote.expiration");
        QCOMPARE(parsed.has_value(), ok);
        if (ok) {
            QVERIFY(parsed->isValid());
            QCOMPARE(parsed->toString(Qt::ISODateWithMs).left(19), value.left(19));
        } else {
            QCOMPARE(parsed.error().code, 3101);
            QVERIFY(parsed.error().message.startsWith(u"quote.expiration: must be a date and time"_s));
        }
    }

    void dateTimeFormat()
    {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(1767225600123, Qt::UTC);
        QCOMPARE(formatDateTime(t), u"2026-01-01T00:00:00.123Z"_s);
        QCOMPARE(formatDateTime(t.toOffsetFromUtc(3600)), u"2026-01-01T00:00:00.123Z"_s);
        const auto back = parseDateTime(formatDateTime(t), u"t");
        QVERIFY(back.has_value());
        QCOMPARE(back->toMSecsSinceEpoch(), t.toMSecsSinceEpoch());
        const auto offset = parseDateTime(u"2026-01-01T02:00:00.123+02:00", u"t");
        QCOMPARE(offset->toMSecsSinceEpoch(), t.toMSecsSinceEpoch());
        QVERIFY(parseDateTime(formatDateTime(QDateTime::currentDateTimeUtc()), u"t").has_value());
    }

    void date_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("epoch") << u"1970-01-01"_s << true;
        QTest::newRow("leap 2000") << u"2000-02-29"_s << true;
        QTest::newRow("leap 2024") << u"2024-02-29"_s << true;
        QTest::newRow("31 Dec") << u"1999-12-31"_s << true;
        QTest::newRow("1900 not leap") << u"1900-02-29"_s << false;
        QTest::newRow("2023 not leap") << u"2023-02-29"_s << false;
        QTest::newRow("30 February") << u"2024-02-30"_s << false;
        QTest::newRow("31 April") << u"2023-04-31"_s << false;
        QTest::newRow("month 00") << u"2023-00-10"_s << false;
        QTest::newRow("day 00") << u"2023-01-00"_s << false;
        QTest::newRow("one-digit month") << u"2023-1-01"_s << false;
        QTest::newRow("year 0999") << u"0999-01-01"_s << false;
        QTest::newRow("with time") << u"2023-01-01T00:00:00.000Z"_s << false;
        QTest::newRow("slashes") << u"2023/01/01"_s << false;
        QTest::newRow("empty") << u""_s << false;
    }

    void date()
    {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        const auto parsed = parseDate(value, u"payer.personalInfo.dateOfBirth");
        QCOMPARE(parsed.has_value(), ok);
        if (ok) {
            QCOMPARE(formatDate(*parsed), value);
        } else {
            QCOMPARE(parsed.error().code, 3101);
            QCOMPARE(parsed.error().message,
                     u"payer.personalInfo.dateOfBirth: must be a calendar date like 2025-01-31"_s);
        }
    }

    void names_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("ascii") << u"Henrik"_s << true;
        QTest::newRow("accented") << u"Zoë"_s << true;
        QTest::newRow("spanish") << u"José María Ñúñez"_s << true;
        QTest::newRow("apostrophe") << u"O'Brien"_s << true;
        QTest::newRow("hyphen and dot") << u"Jean-Luc Jr."_s << true;
        QTest::newRow("comma") << u"Smith, John"_s << true;
        QTest::newRow("cyrillic") << u"Владимир"_s << true;
        QTest::newRow("greek") << u"Αλέξανδρος"_s << true;
        QTest::newRow("arabic") << u"محمد"_s << true;
        QTest::newRow("arabic with space") << u"عبد الله"_s << true;
        QTest::newRow("persian with ZWNJ") << u"مهر\u200Cآرا"_s << true; // Join_Control
        QTest::newRow("hebrew") << u"דוד"_s << true;
        QTest::newRow("han") << u"李小龍"_s << true;
        QTest::newRow("devanagari with marks") << u"अनिल"_s << true; // vowel signs are marks
        QTest::newRow("vietnamese precomposed") << u"Nguyễn"_s << true;
        QTest::newRow("combining accent") << u"Jose\u0301"_s << true; // \p{gc=Mark}
        QTest::newRow("digits") << u"Henry 8"_s << true;
        QTest::newRow("arabic-indic digit") << u"محمد ٣"_s << true; // \p{digit} is Unicode Nd
        QTest::newRow("underscore") << u"a_b"_s << true; // Connector_Punctuation
        QTest::newRow("128") << repeat(u"a", 128) << true;
        QTest::newRow("128 cyrillic") << repeat(u"Ж", 128) << true;
        QTest::newRow("129") << repeat(u"a", 129) << false;
        QTest::newRow("empty") << u""_s << false;
        QTest::newRow("spaces only") << u"   "_s << false;
        QTest::newRow("nbsp only") << u"\u00A0"_s << false;
        QTest::newRow("exclamation") << u"Bob!"_s << false;
        QTest::newRow("at sign") << u"john@example"_s << false;
        QTest::newRow("emoji") << u"Ann 😀"_s << false;
        QTest::newRow("tab") << u"Ann\tLee"_s << false;
        QTest::newRow("newline") << u"Ann\n"_s << false;
        QTest::newRow("typographic apostrophe") << u"O’Brien"_s << false; // the schema lists ASCII ' only
    }

    void names()
    {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        const auto result = validateName(value, u"payee.personalInfo.complexName.firstName");
        QVERIFY2(result.has_value() == ok, qPrintable(value));
        if (!ok) {
            QCOMPARE(result.error().code, 3101);
            QVERIFY(result.error().message.startsWith(u"payee.personalInfo.complexName.firstName: must be "_s));
        }
        // The schema validator agrees with the data-type check.
        nlohmann::ordered_json name{{"firstName", value.toStdString()}};
        QCOMPARE(Schema::validate(Versions::V2_0, u"PartyComplexName", name).has_value(), ok);
    }

    void partyIdType()
    {
        const QStringList names = partyIdTypeNames();
        QCOMPARE(names, (QStringList{u"MSISDN"_s, u"EMAIL"_s, u"PERSONAL_ID"_s, u"BUSINESS"_s, u"DEVICE"_s,
                                     u"ACCOUNT_ID"_s, u"IBAN"_s, u"ALIAS"_s}));
        for (const QString &name : names) {
            const auto parsed = parsePartyIdType(name, u"partyIdType");
            QVERIFY(parsed.has_value());
            QCOMPARE(toString(*parsed), name);
        }
        QVERIFY(parsePartyIdType(u"MSISDN", u"x").value_or(PartyIdType::Alias) == PartyIdType::Msisdn);
        const auto lower = parsePartyIdType(u"msisdn", u"payee.partyIdInfo.partyIdType");
        QVERIFY(!lower.has_value());
        QCOMPARE(lower.error().code, 3101);
        QCOMPARE(lower.error().message,
                 u"payee.partyIdInfo.partyIdType: must be one of MSISDN, EMAIL, PERSONAL_ID, BUSINESS, DEVICE, ACCOUNT_ID, IBAN, ALIAS"_s);
    }

    void lengths()
    {
        QVERIFY(validatePartyIdentifier(u"16135551212", u"payee.partyIdInfo.partyIdentifier").has_value());
        QVERIFY(validatePartyIdentifier(repeat(u"9", 128), u"x").has_value());
        QVERIFY(validatePartyIdentifier(repeat(u"😀", 128), u"x").has_value()); // code points
        const auto tooLong = validatePartyIdentifier(repeat(u"9", 129), u"payee.partyIdInfo.partyIdentifier");
        QVERIFY(!tooLong.has_value());
        QCOMPARE(tooLong.error().code, 3101);
        QCOMPARE(tooLong.error().message, u"payee.partyIdInfo.partyIdentifier: must be 1 to 128 characters"_s);
        const auto empty = validatePartyIdentifier(u"", u"payee.partyIdInfo.partyIdentifier");
        QCOMPARE(empty.error().message, u"payee.partyIdInfo.partyIdentifier: must be 1 to 128 characters"_s);

        QVERIFY(validatePartySubIdOrType(u"DRIVING_LICENSE", u"x").has_value());
        QCOMPARE(validatePartySubIdOrType(repeat(u"s", 129), u"payee.partyIdInfo.partySubIdOrType").error().message,
                 u"payee.partyIdInfo.partySubIdOrType: must be 1 to 128 characters"_s);

        QVERIFY(validateFspId(u"payeefsp", u"payeeFsp").has_value());
        QVERIFY(validateFspId(repeat(u"f", 32), u"payeeFsp").has_value());
        const auto fsp = validateFspId(repeat(u"f", 33), u"payeeFsp");
        QCOMPARE(fsp.error().code, 3101);
        QCOMPARE(fsp.error().message, u"payeeFsp: must be 1 to 32 characters"_s);

        QVERIFY(validateMerchantClassificationCode(u"1234", u"mcc").has_value());
        QCOMPARE(validateMerchantClassificationCode(u"12345", u"mcc").error().message, u"mcc: must be 1 to 4 digits"_s);
        QVERIFY(!validateMerchantClassificationCode(u"12a", u"mcc").has_value());
    }
};

QTEST_GUILESS_MAIN(TestDataTypes)
#include "tst_datatypes.moc"
