// The hub simulator against DFSPs played by the test (real HTTP on 127.0.0.1, real JWS): routing,
// account lookup, positions against the net debit cap, expiry, PATCH after RESERVED, error codes.

#include "core/hub/hub.h"
#include "tests/hub/hubkit.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pm;
using namespace Pm::Test;

class TestHub : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void partiesLookupRoutedBothWays();
    void unknownPartyIs3200();
    void participantsLookupAndRegistration();
    void unknownDestinationIs3201();
    void bodyPassedThroughByteForByte();
    void badJwsIsRejected();
    void transferCommitsAndMovesPositions();
    void capEdgeExactlyToCapPassesOneMinorUnitMoreIs4001();
    void capCountsReservedTransfers();
    void expiryAbortsAndCallsBothSides();
    void patchAfterReserved();
    void wrongFulfilmentAborts();
    void payeeErrorReleasesReservation();
    void getTransferAnsweredFromHubState();
    void reRegistrationMovesEndpointKeepsPositions();
    void configFromJson();
    void configErrorsNameTheField();
    void startFailuresAreOneLineAndLeaveNothingRunning();

private:
    void startHub(const QString &payerCap = {});
    /** Prepares a transfer from payer to payee; the payee fulfils it with `state` unless empty. */
    QString sendTransfer(const QString &amount, const QString &payeeAnswer = u"COMMITTED"_s,
        int expiresInMs = 60000);
    QUrl hubUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_hub->port())); }
    /** Verifies a message the hub wrote itself with the hub's public key. */
    bool signedByHub(const FakeDfsp::Received &r) const;

    QByteArray m_payerKey, m_payeeKey,
        m_hubKey; ///< generated once: RSA generation is slow under ASan
    std::unique_ptr<FakeDfsp> m_payer, m_payee;
    std::unique_ptr<Hub::Hub> m_hub;
    QHash<QString, IlpPair> m_ilp; ///< by transfer id
};

void TestHub::initTestCase()
{
    m_payerKey = newRsaKeyPem();
    m_payeeKey = newRsaKeyPem();
    m_hubKey = newRsaKeyPem();
    QVERIFY(!m_payerKey.isEmpty() && !m_payeeKey.isEmpty() && !m_hubKey.isEmpty());
}

void TestHub::init()
{
    m_payer = std::make_unique<FakeDfsp>(u"payerfsp"_s);
    m_payee = std::make_unique<FakeDfsp>(u"payeefsp"_s);
    QVERIFY(m_payer->start(m_payerKey));
    QVERIFY(m_payee->start(m_payeeKey));
    m_ilp.clear();
}

void TestHub::cleanup()
{
    if (m_hub)
        m_hub->stop();
    m_hub.reset();
    m_payer.reset();
    m_payee.reset();
}

void TestHub::startHub(const QString &payerCap)
{
    Hub::HubConfig config;
    config.signingKeyPem = m_hubKey;
    Hub::ParticipantConfig payer { u"payerfsp"_s, m_payer->endpoint(), { u"USD"_s },
        m_payer->publicKeyPem(), {} };
    if (!payerCap.isEmpty())
        payer.netDebitCap.insert(u"USD"_s, payerCap);
    config.participants << payer
                        << Hub::ParticipantConfig { u"payeefsp"_s, m_payee->endpoint(),
                               { u"USD"_s }, m_payee->publicKeyPem(), {} };
    config.parties << Hub::PartyEntry { u"MSISDN"_s, u"22556999125"_s, {}, u"payeefsp"_s }
                   << Hub::PartyEntry { u"MSISDN"_s, u"22507008181"_s, {}, u"payerfsp"_s };
    m_hub = std::make_unique<Hub::Hub>(config);
    auto port = m_hub->start();
    QVERIFY2(port, qPrintable(port ? QString() : port.error().message));
    QVERIFY(*port != 0);
    QCOMPARE(m_hub->port(), *port);
}

bool TestHub::signedByHub(const FakeDfsp::Received &r) const
{
    auto key = Fspiop::Jws::VerificationKey::fromPem(m_hub->publicKeyPem());
    if (!key)
        return false;
    auto ok = Fspiop::Jws::verify(r.headers.fields(), r.body, [&](const QString &source) {
        return source == m_hub->hubId() ? std::optional(*key) : std::nullopt;
    });
    return ok.has_value();
}

QString TestHub::sendTransfer(const QString &amount, const QString &payeeAnswer, int expiresInMs)
{
    const QString id = newId();
    const IlpPair ilp = newIlpPair();
    m_ilp.insert(id, ilp);
    if (!payeeAnswer.isEmpty()) {
        auto previous = m_payee->onRequest;
        m_payee->onRequest = [this, id, ilp, payeeAnswer, previous](const FakeDfsp::Received &r) {
            if (previous)
                previous(r);
            if (r.method != "POST" || r.path != u"/transfers"_s || jstr(r.json, "transferId") != id)
                return;
            const Json fulfil { { "fulfilment", ilp.fulfilment },
                { "completedTimestamp",
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString() },
                { "transferState", payeeAnswer.toStdString() } };
            // Answered from a queued call: the fake's server handler must not block on the client.
            QTimer::singleShot(0, [this, id, fulfil] {
                if (m_hub)
                    m_payee->send(hubUrl(), "PUT", u"/transfers/"_s + id, fulfil, u"payerfsp"_s);
            });
        };
    }
    const Json body = transferBody(id, u"payerfsp"_s, u"payeefsp"_s, amount, ilp.condition,
        QDateTime::currentDateTimeUtc().addMSecs(expiresInMs));
    auto r = m_payer->send(hubUrl(), "POST", u"/transfers"_s, body, u"payeefsp"_s);
    if (!r || r->status != 202)
        return {};
    return id;
}

void TestHub::partiesLookupRoutedBothWays()
{
    startHub();
    auto r = m_payer->send(hubUrl(), "GET", u"/parties/MSISDN/22556999125"_s, Json());
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    // The oracle names the owner; the GET reaches it with FSPIOP-Destination set by the hub.
    auto get = m_payee->waitFor("GET", u"/parties/MSISDN/22556999125"_s);
    QVERIFY(get);
    QCOMPARE(get->headers.value("FSPIOP-Destination"), "payeefsp");
    QCOMPARE(get->headers.value("FSPIOP-Source"), "payerfsp");
    QCOMPARE(m_payer->count("GET", u"/parties"_s), 0);
    // The owner's PUT goes back to the requester.
    const Json party { { "party",
        Json { { "partyIdInfo",
                   Json { { "partyIdType", "MSISDN" }, { "partyIdentifier", "22556999125" },
                       { "fspId", "payeefsp" } } },
            { "name", "Test Payee" } } } };
    auto put
        = m_payee->send(hubUrl(), "PUT", u"/parties/MSISDN/22556999125"_s, party, u"payerfsp"_s);
    QVERIFY(put);
    QCOMPARE(put->status, 200);
    auto back = m_payer->waitFor("PUT", u"/parties/MSISDN/22556999125"_s);
    QVERIFY(back);
    QCOMPARE(jstr(back->json["party"], "name"), u"Test Payee"_s);
    QCOMPARE(back->headers.value("FSPIOP-Source"), "payeefsp");
    // The hub counts a forward once the receiver's acknowledgement is back, which may be after the
    // receiver has the message.
    QVERIFY(waitUntil([&] { return m_hub->counters().forwarded == 2; }));
    const auto counters = m_hub->counters();
    QCOMPARE(counters.requestsReceived, 2);
    QCOMPARE(counters.forwarded, 2);
    QCOMPARE(counters.errorCallbacks, 0);
}

void TestHub::unknownPartyIs3200()
{
    startHub();
    auto r = m_payer->send(hubUrl(), "GET", u"/parties/MSISDN/000111"_s, Json());
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    auto err = m_payer->waitFor("PUT", u"/parties/MSISDN/000111/error"_s);
    QVERIFY(err);
    QCOMPARE(errorCodeOf(err->json), 3200);
    QCOMPARE(err->headers.value("FSPIOP-Source"), "switch");
    QCOMPARE(err->headers.value("FSPIOP-Destination"), "payerfsp");
    QVERIFY(signedByHub(*err));
    QCOMPARE(m_payee->received.size(), 0);
    QCOMPARE(m_hub->counters().errorCallbacks, 1);
}

void TestHub::participantsLookupAndRegistration()
{
    startHub();
    // GET /participants answers from the oracle.
    QVERIFY(m_payer->send(hubUrl(), "GET", u"/participants/MSISDN/22556999125"_s, Json()));
    auto put = m_payer->waitFor("PUT", u"/participants/MSISDN/22556999125"_s);
    QVERIFY(put);
    QCOMPARE(jstr(put->json, "fspId"), u"payeefsp"_s);
    QVERIFY(signedByHub(*put));
    // POST /participants adds a row; a lookup of the new party then reaches its owner.
    auto post = m_payee->send(hubUrl(), "POST", u"/participants/MSISDN/777"_s,
        Json { { "fspId", "payeefsp" }, { "currency", "USD" } });
    QVERIFY(post);
    QCOMPARE(post->status, 202);
    QVERIFY(m_payee->waitFor("PUT", u"/participants/MSISDN/777"_s));
    QVERIFY(m_payer->send(hubUrl(), "GET", u"/parties/MSISDN/777"_s, Json()));
    QVERIFY(m_payee->waitFor("GET", u"/parties/MSISDN/777"_s));
    // An unknown party in GET /participants is 3200 too.
    QVERIFY(m_payer->send(hubUrl(), "GET", u"/participants/MSISDN/999"_s, Json()));
    auto err = m_payer->waitFor("PUT", u"/participants/MSISDN/999/error"_s);
    QVERIFY(err);
    QCOMPARE(errorCodeOf(err->json), 3200);
}

void TestHub::unknownDestinationIs3201()
{
    startHub();
    const QString quoteId = newId();
    auto r = m_payer->send(hubUrl(), "POST", u"/quotes"_s,
        quoteBody(quoteId, u"payerfsp"_s, u"nobodyfsp"_s, u"10"_s), u"nobodyfsp"_s);
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    auto err = m_payer->waitFor("PUT", u"/quotes/"_s + quoteId + u"/error"_s);
    QVERIFY(err);
    QCOMPARE(errorCodeOf(err->json), 3201);
    QVERIFY(signedByHub(*err));

    // A transfer to an unknown payee FSP: 3201 as well, and nothing is reserved.
    const QString transferId = newId();
    const Json body = transferBody(transferId, u"payerfsp"_s, u"nobodyfsp"_s, u"5"_s,
        newIlpPair().condition, QDateTime::currentDateTimeUtc().addSecs(60));
    QVERIFY(m_payer->send(hubUrl(), "POST", u"/transfers"_s, body, u"nobodyfsp"_s));
    auto terr = m_payer->waitFor("PUT", u"/transfers/"_s + transferId + u"/error"_s);
    QVERIFY(terr);
    QCOMPARE(errorCodeOf(terr->json), 3201);
    QCOMPARE(m_hub->transfer(transferId)->state, Hub::TransferState::Aborted);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 0);
    QCOMPARE(m_payee->received.size(), 0);
}

void TestHub::bodyPassedThroughByteForByte()
{
    startHub();
    const QString quoteId = newId();
    // Odd but valid JSON: spacing, key order, escaped unicode. The hub must not re-serialise it.
    QByteArray body
        = Fspiop::serializeJson(quoteBody(quoteId, u"payerfsp"_s, u"payeefsp"_s, u"12.34"_s));
    body.replace("{\"quoteId\"", "{  \"note\" : \"caf\\u00e9  \\u20ac\" ,\n \"quoteId\"");
    QVERIFY(parseBody(body).is_object());
    const FakeDfsp::Outgoing out = m_payer->prepare("POST", u"/quotes"_s, body, u"payeefsp"_s);
    auto r = m_payer->send(hubUrl(), out);
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    auto got = m_payee->waitFor("POST", u"/quotes"_s);
    QVERIFY(got);
    QCOMPARE(got->body, body);
    for (const char *h : { "FSPIOP-Signature", "FSPIOP-URI", "FSPIOP-HTTP-Method", "FSPIOP-Source",
             "FSPIOP-Destination", "Date", "Content-Type", "Accept" }) {
        QVERIFY2(got->headers.value(h) == out.headers.value(h), h);
    }
    // And the answer back, the same way.
    QByteArray answer = "{\"transferAmount\":{\"currency\":\"USD\",\"amount\":\"12.34\"},  "
                        "\"expiration\":\"2030-01-01T00:00:00.000Z\","
                        "\"ilpPacket\":\"AYIBgQAAAAAAAASwNGxldmVsb25l\",\"condition\":\""
        + QByteArray::fromStdString(newIlpPair().condition) + "\"}";
    QVERIFY(parseBody(answer).is_object());
    const FakeDfsp::Outgoing put
        = m_payee->prepare("PUT", u"/quotes/"_s + quoteId, answer, u"payerfsp"_s);
    auto pr = m_payee->send(hubUrl(), put);
    QVERIFY(pr);
    QCOMPARE(pr->status, 200);
    auto back = m_payer->waitFor("PUT", u"/quotes/"_s + quoteId);
    QVERIFY(back);
    QCOMPARE(back->body, answer);
    QCOMPARE(back->headers.value("FSPIOP-Signature"), put.headers.value("FSPIOP-Signature"));
}

void TestHub::badJwsIsRejected()
{
    startHub();
    const QString quoteId = newId();
    const QByteArray body
        = Fspiop::serializeJson(quoteBody(quoteId, u"payerfsp"_s, u"payeefsp"_s, u"10"_s));
    // Signed, then the body changed on the way: 3105 Invalid signature, HTTP 400, nothing routed.
    FakeDfsp::Outgoing out = m_payer->prepare("POST", u"/quotes"_s, body, u"payeefsp"_s);
    out.body = QByteArray(body).replace("\"10\"", "\"99\"");
    auto r = m_payer->send(hubUrl(), out);
    QVERIFY(r);
    QCOMPARE(r->status, 400);
    QCOMPARE(errorCodeOf(parseBody(r->body)), 3105);
    // Signed with another DFSP's key.
    FakeDfsp::Outgoing forged = m_payee->prepare("POST", u"/quotes"_s, body, u"payeefsp"_s);
    forged.headers.set("FSPIOP-Source", "payerfsp");
    auto f = m_payer->send(hubUrl(), forged);
    QVERIFY(f);
    QCOMPARE(f->status, 400);
    QCOMPARE(errorCodeOf(parseBody(f->body)), 3105);
    // No signature at all, while the participant has a key: refused as well.
    auto unsignedReq = m_payer->prepare("POST", u"/quotes"_s, body, u"payeefsp"_s, false);
    auto u = m_payer->send(hubUrl(), unsignedReq);
    QVERIFY(u);
    QCOMPARE(u->status, 400);
    QVERIFY(errorCodeOf(parseBody(u->body)) >= 3100);
    QCOMPARE(m_hub->counters().requestsRefused, 3);
    QCOMPARE(m_hub->counters().requestsReceived, 0);
    // The same request, correctly signed, goes through.
    auto ok = m_payer->send(hubUrl(), m_payer->prepare("POST", u"/quotes"_s, body, u"payeefsp"_s));
    QVERIFY(ok);
    QCOMPARE(ok->status, 202);
    QVERIFY(m_payee->waitFor("POST", u"/quotes"_s));
    QCOMPARE(m_payee->count("POST", u"/quotes"_s), 1);
}

void TestHub::transferCommitsAndMovesPositions()
{
    startHub(u"1000"_s);
    QSignalSpy changed(m_hub.get(), &Hub::Hub::transferChanged);
    const QString id = sendTransfer(u"100.5"_s);
    QVERIFY(!id.isEmpty());
    auto fulfil = m_payer->waitFor("PUT", u"/transfers/"_s + id);
    QVERIFY(fulfil);
    QCOMPARE(jstr(fulfil->json, "transferState"), u"COMMITTED"_s);
    QCOMPARE(fulfil->headers.value("FSPIOP-Source"), "payeefsp");
    const auto t = m_hub->transfer(id);
    QVERIFY(t);
    QCOMPARE(t->state, Hub::TransferState::Committed);
    QCOMPARE(t->amountMinor, 10050);
    QCOMPARE(t->payerFsp, u"payerfsp"_s);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 10050);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 0);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->headroom(),
        std::optional<qint64>(100000 - 10050));
    QCOMPARE(m_hub->position(u"payeefsp"_s, u"USD"_s)->position, -10050);
    // RESERVED then COMMITTED, both signalled.
    QVERIFY(waitUntil([&] { return changed.size() >= 2; }));
    QCOMPARE(
        changed.at(0).at(0).value<Hub::TransferSnapshot>().state, Hub::TransferState::Reserved);
    QCOMPARE(
        changed.at(1).at(0).value<Hub::TransferSnapshot>().state, Hub::TransferState::Committed);
    // No PATCH for a payee that answered COMMITTED.
    QCOMPARE(m_payee->count("PATCH", u"/transfers"_s), 0);
    // A re-sent prepare is answered from the hub's state, not routed again.
    const auto participants = m_hub->participants();
    QCOMPARE(participants.size(), 2);
    QCOMPARE(participants[0].transfersCommitted, 1);
}

void TestHub::capEdgeExactlyToCapPassesOneMinorUnitMoreIs4001()
{
    startHub(u"100.5"_s);
    // 60.25 + 40.25 = 100.50: exactly the cap. Passes.
    const QString a = sendTransfer(u"60.25"_s);
    QVERIFY(m_payer->waitFor("PUT", u"/transfers/"_s + a));
    const QString b = sendTransfer(u"40.25"_s);
    QVERIFY(m_payer->waitFor("PUT", u"/transfers/"_s + b));
    QCOMPARE(m_hub->transfer(b)->state, Hub::TransferState::Committed);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 10050);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->headroom(), std::optional<qint64>(0));
    // One minor unit more: 4001, to the payer only; the payee never sees the prepare.
    const QString c = sendTransfer(u"0.01"_s);
    auto err = m_payer->waitFor("PUT", u"/transfers/"_s + c + u"/error"_s);
    QVERIFY(err);
    QCOMPARE(errorCodeOf(err->json), 4001);
    QVERIFY(signedByHub(*err));
    QCOMPARE(m_payee->count("POST", u"/transfers"_s), 2);
    QCOMPARE(m_hub->transfer(c)->state, Hub::TransferState::Aborted);
    QCOMPARE(m_hub->transfer(c)->errorCode, 4001);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 10050);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 0);
    QCOMPARE(m_hub->position(u"payeefsp"_s, u"USD"_s)->position, -10050);
}

void TestHub::capCountsReservedTransfers()
{
    startHub(u"10"_s);
    // A reserved, unanswered transfer of the whole cap blocks a further 0.01.
    const QString held = sendTransfer(u"10"_s, QString());
    QVERIFY(m_payee->waitFor("POST", u"/transfers"_s));
    QCOMPARE(m_hub->transfer(held)->state, Hub::TransferState::Reserved);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 1000);
    const QString more = sendTransfer(u"0.01"_s, QString());
    auto err = m_payer->waitFor("PUT", u"/transfers/"_s + more + u"/error"_s);
    QVERIFY(err);
    QCOMPARE(errorCodeOf(err->json), 4001);
    QCOMPARE(m_payee->count("POST", u"/transfers"_s), 1);
}

void TestHub::expiryAbortsAndCallsBothSides()
{
    startHub(u"100"_s);
    QSignalSpy positions(m_hub.get(), &Hub::Hub::positionChanged);
    // The payee receives the prepare and never answers.
    const QString id = sendTransfer(u"7"_s, QString(), 1500);
    QVERIFY(!id.isEmpty());
    QVERIFY(m_payee->waitFor("POST", u"/transfers"_s));
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 700);
    const QString errorPath = u"/transfers/"_s + id + u"/error"_s;
    auto toPayer = m_payer->waitFor("PUT", errorPath, 30000);
    auto toPayee = m_payee->waitFor("PUT", errorPath, 30000);
    QVERIFY(toPayer);
    QVERIFY(toPayee);
    QCOMPARE(errorCodeOf(toPayer->json), 3303);
    QCOMPARE(errorCodeOf(toPayee->json), 3303);
    QVERIFY(signedByHub(*toPayer));
    QVERIFY(signedByHub(*toPayee));
    QCOMPARE(toPayee->headers.value("FSPIOP-Destination"), "payeefsp");
    const auto t = m_hub->transfer(id);
    QCOMPARE(t->state, Hub::TransferState::Aborted);
    QCOMPARE(t->errorCode, 3303);
    QVERIFY(t->completed >= t->expiration);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 0);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 0);
    QVERIFY(positions.size() >= 2); // reserved, then released
    QCOMPARE(positions.last().at(1).value<Hub::PositionSnapshot>().reserved, 0);
    // A late fulfilment changes nothing; the payee is told the transfer is aborted.
    const Json late { { "fulfilment", m_ilp[id].fulfilment },
        { "completedTimestamp",
            QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString() },
        { "transferState", "COMMITTED" } };
    auto r = m_payee->send(hubUrl(), "PUT", u"/transfers/"_s + id, late, u"payerfsp"_s);
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QVERIFY(waitUntil([&] { return m_payee->count("PUT", errorPath) == 2; }));
    QCOMPARE(m_hub->transfer(id)->state, Hub::TransferState::Aborted);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 0);
    QCOMPARE(
        m_payer->count("PUT", u"/transfers/"_s + id), 1); // only the 3303; no fulfilment routed
}

void TestHub::patchAfterReserved()
{
    startHub();
    const QString id = sendTransfer(u"3"_s, u"RESERVED"_s);
    auto patch = m_payee->waitFor("PATCH", u"/transfers/"_s + id);
    QVERIFY(patch);
    QCOMPARE(jstr(patch->json, "transferState"), u"COMMITTED"_s);
    QVERIFY(!jstr(patch->json, "completedTimestamp").isEmpty());
    QCOMPARE(patch->headers.value("FSPIOP-Source"), "switch");
    QCOMPARE(patch->headers.value("FSPIOP-HTTP-Method"), "PATCH");
    QVERIFY(patch->headers.value("Content-Type").contains("version=1.1"));
    QVERIFY(signedByHub(*patch));
    // The payer got the payee's fulfilment as it was sent.
    auto fulfil = m_payer->waitFor("PUT", u"/transfers/"_s + id);
    QVERIFY(fulfil);
    QCOMPARE(jstr(fulfil->json, "transferState"), u"RESERVED"_s);
    QCOMPARE(m_hub->transfer(id)->state, Hub::TransferState::Committed);
    QCOMPARE(m_hub->position(u"payeefsp"_s, u"USD"_s)->position, -300);
    QCOMPARE(m_payee->count("PATCH", u"/transfers"_s), 1);
}

void TestHub::wrongFulfilmentAborts()
{
    startHub();
    const QString id = sendTransfer(u"4"_s, QString());
    QVERIFY(m_payee->waitFor("POST", u"/transfers"_s));
    const Json bad { { "fulfilment", newIlpPair().fulfilment },
        { "completedTimestamp",
            QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString() },
        { "transferState", "COMMITTED" } };
    QVERIFY(m_payee->send(hubUrl(), "PUT", u"/transfers/"_s + id, bad, u"payerfsp"_s));
    const QString errorPath = u"/transfers/"_s + id + u"/error"_s;
    QVERIFY(m_payer->waitFor("PUT", errorPath));
    QVERIFY(m_payee->waitFor("PUT", errorPath));
    QCOMPARE(errorCodeOf(m_payer->find("PUT", errorPath)->json), 3100);
    QCOMPARE(m_hub->transfer(id)->state, Hub::TransferState::Aborted);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 0);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 0);
}

void TestHub::payeeErrorReleasesReservation()
{
    startHub(u"50"_s);
    const QString id = sendTransfer(u"50"_s, QString());
    QVERIFY(m_payee->waitFor("POST", u"/transfers"_s));
    const Json error { { "errorInformation",
        Json {
            { "errorCode", "5105" }, { "errorDescription", "Payee FSP rejected transaction" } } } };
    const QString errorPath = u"/transfers/"_s + id + u"/error"_s;
    QVERIFY(m_payee->send(hubUrl(), "PUT", errorPath, error, u"payerfsp"_s));
    auto routed = m_payer->waitFor("PUT", errorPath);
    QVERIFY(routed);
    QCOMPARE(errorCodeOf(routed->json), 5105);
    QCOMPARE(routed->headers.value("FSPIOP-Source"), "payeefsp");
    QCOMPARE(m_hub->transfer(id)->state, Hub::TransferState::Aborted);
    QCOMPARE(m_hub->transfer(id)->errorCode, 5105);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->reserved, 0);
    // The whole cap is free again.
    const QString again = sendTransfer(u"50"_s);
    QVERIFY(m_payer->waitFor("PUT", u"/transfers/"_s + again));
    QCOMPARE(m_hub->transfer(again)->state, Hub::TransferState::Committed);
}

void TestHub::getTransferAnsweredFromHubState()
{
    startHub();
    const QString id = sendTransfer(u"1.5"_s);
    QVERIFY(m_payer->waitFor("PUT", u"/transfers/"_s + id));
    // A payer that lost the callback asks again: the hub answers from its own state, signed by it.
    QVERIFY(m_payer->send(hubUrl(), "GET", u"/transfers/"_s + id, Json()));
    QVERIFY(waitUntil([&] { return m_payer->count("PUT", u"/transfers/"_s + id) == 2; }));
    const FakeDfsp::Received answer = m_payer->received.last();
    QCOMPARE(answer.path, u"/transfers/"_s + id);
    QCOMPARE(answer.headers.value("FSPIOP-Source"), "switch");
    QVERIFY(signedByHub(answer));
    QCOMPARE(jstr(answer.json, "transferState"), u"COMMITTED"_s);
    QCOMPARE(jstr(answer.json, "fulfilment"), QString::fromStdString(m_ilp[id].fulfilment));
    // Not a party to it, or an unknown id: 3208.
    const QString unknown = newId();
    QVERIFY(m_payer->send(hubUrl(), "GET", u"/transfers/"_s + unknown, Json()));
    auto err = m_payer->waitFor("PUT", u"/transfers/"_s + unknown + u"/error"_s);
    QVERIFY(err);
    QCOMPARE(errorCodeOf(err->json), 3208);
}

void TestHub::reRegistrationMovesEndpointKeepsPositions()
{
    startHub(u"100"_s);
    const QString first = sendTransfer(u"30"_s);
    QVERIFY(m_payer->waitFor("PUT", u"/transfers/"_s + first));
    // The payee comes back on another port (a restarted DFSP): registered again, same positions.
    auto moved = std::make_unique<FakeDfsp>(u"payeefsp"_s);
    QVERIFY(moved->start(m_payeeKey));
    moved->onRequest = m_payee->onRequest;
    m_payee.swap(moved);
    QVERIFY(m_hub->addParticipant(
        { u"payeefsp"_s, m_payee->endpoint(), { u"USD"_s }, m_payee->publicKeyPem(), {} }));
    QCOMPARE(m_hub->position(u"payeefsp"_s, u"USD"_s)->position, -3000);
    QCOMPARE(m_hub->participants().size(), 2);
    const QString second = sendTransfer(u"70"_s);
    QVERIFY(m_payer->waitFor("PUT", u"/transfers/"_s + second));
    QCOMPARE(m_payee->count("POST", u"/transfers"_s), 1);
    QCOMPARE(moved->count("POST", u"/transfers"_s), 1);
    QCOMPARE(m_hub->position(u"payerfsp"_s, u"USD"_s)->position, 10000);
    QCOMPARE(m_hub->position(u"payeefsp"_s, u"USD"_s)->position, -10000);
    // A bad registration is refused with the field named, and changes nothing.
    auto bad = m_hub->addParticipant({ u"payeefsp"_s, QUrl(u"ftp://x"_s), { u"USD"_s }, {}, {} });
    QVERIFY(!bad);
    QVERIFY(bad.error().message.contains(u"endpoint"_s));
    QCOMPARE(m_hub->participant(u"payeefsp"_s)->endpoint, m_payee->endpoint().toString());
}

void TestHub::configFromJson()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray pem = m_payer->publicKeyPem();
    QFile keyFile(dir.filePath(u"payer.pem"_s));
    QVERIFY(keyFile.open(QIODevice::WriteOnly));
    keyFile.write(pem);
    keyFile.close();
    const QByteArray json = R"({
        "hubId": "hub1", "port": 0, "requireJwsOnPutParties": true, "forwardTimeoutMs": 5000,
        "participants": [
            {"fspId": "payerfsp", "endpoint": "http://127.0.0.1:4001", "currencies": ["USD", "XOF"],
             "jwsPublicKeyPath": "payer.pem", "netDebitCap": {"USD": "1000.50", "XOF": "7"}},
            {"fspId": "payeefsp", "endpoint": "http://127.0.0.1:4002/base", "currencies": ["USD"]}
        ],
        "parties": [{"type": "MSISDN", "id": "123", "fspId": "payeefsp"},
                    {"type": "BUSINESS", "id": "acme", "subId": "till1", "fspId": "payerfsp"}]
    })";
    auto config = Hub::parseHubConfig(json, dir.path());
    QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
    QCOMPARE(config->hubId, u"hub1"_s);
    QCOMPARE(config->requireJwsOnPutParties, true);
    QCOMPARE(config->forwardTimeoutMs, 5000);
    QCOMPARE(config->participants.size(), 2);
    QCOMPARE(config->participants[0].jwsPublicKeyPem, pem);
    QCOMPARE(config->participants[0].netDebitCap.value(u"USD"_s), u"1000.50"_s);
    QCOMPARE(config->participants[1].endpoint, QUrl(u"http://127.0.0.1:4002/base"_s));
    QCOMPARE(config->parties.size(), 2);
    QCOMPARE(config->parties[1].subId, u"till1"_s);

    // Started from it, the caps are exact minor units of each currency.
    Hub::Hub hub(*config);
    QVERIFY(hub.start());
    QCOMPARE(hub.position(u"payerfsp"_s, u"USD"_s)->netDebitCap, std::optional<qint64>(100050));
    QCOMPARE(hub.position(u"payerfsp"_s, u"XOF"_s)->netDebitCap, std::optional<qint64>(7));
    QCOMPARE(hub.position(u"payeefsp"_s, u"USD"_s)->netDebitCap, std::nullopt);
    QVERIFY(!hub.position(u"payeefsp"_s, u"XOF"_s));
    hub.stop();
    QVERIFY(!hub.isRunning());
}

void TestHub::configErrorsNameTheField()
{
    struct Case
    {
        QByteArray json;
        QString expected;
    };
    const QList<Case> cases {
        { R"({"participants": [{"fspId": "a", "endpoint": "ftp://x", "currencies": ["USD"]}]})",
            u"participants[0].endpoint"_s },
        { R"({"participants": [{"fspId": "a", "endpoint": "http://x", "currencies": ["USDX"]}]})",
            u"participants[0].currencies"_s },
        { R"({"participants": [{"fspId": "a", "endpoint": "http://x", "currencies": ["USD"], "netDebitCap": {"USD": "-1"}}]})",
            u"participants[0].netDebitCap.USD"_s },
        { R"({"participants": [{"fspId": "a", "endpoint": "http://x", "currencies": ["USD"], "netDebitCap": {"USD": "1.001"}}]})",
            u"participants[0].netDebitCap.USD"_s },
        { R"({"participants": [{"fspId": "a", "endpoint": "http://x", "currencies": ["USD"], "jwsPublicKey": "nope"}]})",
            u"participants[0].jwsPublicKey"_s },
        { R"({"parties": [{"type": "MSISDN", "id": "1", "fspId": "ghost"}]})", u"parties[0]"_s },
        { R"({"port": "80"})", u"port"_s },
        { R"({"hubId": 3})", u"hubId"_s },
        { R"({"participants": [1, 2]})", u"participants[0]"_s },
        { R"({"participants": )", u"malformed JSON"_s },
    };
    for (const Case &c : cases) {
        auto config = Hub::parseHubConfig(c.json);
        QVERIFY2(!config, c.json.constData());
        QVERIFY2(config.error().message.contains(c.expected),
            qPrintable(c.expected + u" not in: "_s + config.error().message));
    }
    auto missing = Hub::loadHubConfig(u"/nonexistent/hub.json"_s);
    QVERIFY(!missing);
    QVERIFY(missing.error().message.contains(u"/nonexistent/hub.json"_s));
}

void TestHub::startFailuresAreOneLineAndLeaveNothingRunning()
{
    startHub();
    // The port is taken (by the first hub).
    Hub::HubConfig busy;
    busy.signingKeyPem = m_hubKey;
    busy.port = m_hub->port();
    Hub::Hub second(busy);
    auto r = second.start();
    QVERIFY(!r);
    QVERIFY2(
        r.error().message.startsWith(u"hub: cannot listen on 127.0.0.1:%1"_s.arg(m_hub->port())),
        qPrintable(r.error().message));
    QVERIFY(!r.error().message.contains(u'\n'));
    QVERIFY(!second.isRunning());
    QCOMPARE(second.port(), quint16(0));
    QVERIFY(!second.position(u"payerfsp"_s, u"USD"_s));
    // A participant that does not validate, given in code.
    Hub::HubConfig badParticipant;
    badParticipant.signingKeyPem = m_hubKey;
    badParticipant.participants << Hub::ParticipantConfig { u"x"_s, QUrl(u"http://127.0.0.1:1"_s),
        {}, {}, {} };
    Hub::Hub third(badParticipant);
    auto p = third.start();
    QVERIFY(!p);
    QCOMPARE(p.error().message, u"x: currencies: at least one currency is required"_s);
    QVERIFY(!third.isRunning());
    // A bad signing key.
    Hub::HubConfig badKey;
    badKey.signingKeyPem = "not a key";
    Hub::Hub fourth(badKey);
    auto k = fourth.start();
    QVERIFY(!k);
    QVERIFY2(k.error().message.startsWith(u"signingKeyPath: "_s), qPrintable(k.error().message));
    // The first hub still works.
    QVERIFY(m_payer->send(hubUrl(), "GET", u"/parties/MSISDN/22556999125"_s, Json()));
    QVERIFY(m_payee->waitFor("GET", u"/parties/MSISDN/22556999125"_s));
}

QTEST_GUILESS_MAIN(TestHub)
#include "tst_hub.moc"
