// Two-pair transfer benchmark: two `pm-connector run` processes peering directly against two
// reference SDK processes (@mojaloop/sdk-scheme-adapter 18.0.2, each with redis) peering directly.
// Each side has a loopback backend (TestBackend, on its own thread in this process) that answers at
// once. JWS signing and verification and CHECK_ILP are on for both pairs. N transfers (after a
// warm-up) are driven with concurrency C through the payer's outbound POST /transfers with
// auto-accept. Measured per pair: transfers/s, p50/p99 end-to-end latency, CPU of the connector
// processes (utime+stime from /proc/PID/stat), peak RSS (VmHWM); plain and mutual TLS.
//
// A plain executable rather than a Google Benchmark: each "iteration" is a whole run of several
// processes. scripts/bench.sh runs it and keeps the output in docs/bench/transfers-YYYYMMDD.txt.
//
//   bench_transfers [--transfers N] [--ref-transfers M] [--warmup W] [--concurrency C] [--pairs
//   ours,ours-mtls,ref,ref-mtls]
//                   [--perf DIR]   (perf record both processes of each pair during the measured
//                   run)

#include "core/fspiop/jws.h"
#include "core/net/httpclient.h"
#include "tests/interop/referencesdk.h"
#include "tests/restart/connectorprocess.h"
#include "tests/support/testbackend.h"
#include "tests/support/testpki.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Pm;
using Json = Fspiop::Json;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

void say(const QString &line)
{
    out() << line << '\n';
    out().flush();
}

QString loadAverage()
{
    QFile f(u"/proc/loadavg"_s);
    if (!f.open(QIODevice::ReadOnly))
        return u"?"_s;
    return QString::fromLatin1(f.readAll()).section(u' ', 0, 2);
}

/** utime + stime of `pid` in ms (all its threads), or -1. */
double cpuMs(qint64 pid)
{
    QFile f(u"/proc/%1/stat"_s.arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // Fields after the ")" closing the command name: state is field 3; utime 14, stime 15.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return (fields[11].toDouble() + fields[12].toDouble()) * 1000.0 / ticks;
}

/** A "VmXXX:" line of /proc/PID/status, in KiB, or -1. */
qint64 statusKiB(qint64 pid, const QByteArray &key)
{
    QFile f(u"/proc/%1/status"_s.arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(QByteArray(key + ':')))
            return line.mid(key.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

/** The two backends on their own thread, so that serving them does not slow the driver. */
class Backends
{
public:
    Backends() = default;
    ~Backends() { stop(); }

    /** Starts both; the payee's backend knows the parties partyId(first) .. partyId(first + count -
     * 1). */
    bool start(int first, int count)
    {
        m_thread.start();
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        bool ok = false;
        QMetaObject::invokeMethod(
            m_context,
            [&] {
                payer = std::make_unique<Test::TestBackend>();
                payee = std::make_unique<Test::TestBackend>();
                ok = payer->start().has_value() && payee->start().has_value();
                for (int i = first; i < first + count; ++i) {
                    payee->addParty(
                        Json { { "idType", "MSISDN" }, { "idValue", partyId(i).toStdString() },
                            { "displayName", "Bench Party" }, { "firstName", "Bench" },
                            { "lastName", "Party" }, { "dateOfBirth", "1970-01-01" } });
                }
            },
            Qt::BlockingQueuedConnection);
        return ok;
    }

    void stop()
    {
        if (!m_context)
            return;
        QMetaObject::invokeMethod(
            m_context,
            [&] {
                payer.reset();
                payee.reset();
                delete m_context;
            },
            Qt::BlockingQueuedConnection);
        m_context = nullptr;
        m_thread.quit();
        m_thread.wait();
    }

    int payeeTransfers()
    {
        int n = 0;
        QMetaObject::invokeMethod(
            m_context, [&] { n = payee->count("POST", u"/transfers"_s); },
            Qt::BlockingQueuedConnection);
        return n;
    }

    static QString partyId(int i) { return u"2567%1"_s.arg(i, 7, 10, QLatin1Char('0')); }

    std::unique_ptr<Test::TestBackend> payer, payee; ///< live on the backend thread

private:
    QThread m_thread;
    QObject *m_context = nullptr;
};

struct Measured
{
    int ok = 0;
    int failed = 0;
    QString firstError;
    double wallS = 0;
    QList<double> latenciesMs;
};

/** Drives `count` POST /transfers with `concurrency` in flight; party ids from `nextParty`. */
Measured drive(Net::HttpClient &client, const QUrl &url, int count, int concurrency, int &nextParty)
{
    Measured m;
    QEventLoop loop;
    QObject context;
    int issued = 0, done = 0;
    QElapsedTimer wall;
    std::function<void()> issue = [&] {
        const int party = nextParty++;
        ++issued;
        Json req = Json::object();
        req["homeTransactionId"] = u"bench-%1"_s.arg(party).toStdString();
        req["from"] = Json { { "idType", "MSISDN" }, { "idValue", "25644444444" },
            { "displayName", "Payer Person" }, { "firstName", "Payer" }, { "lastName", "Person" },
            { "dateOfBirth", "1980-01-01" } };
        req["to"] = Json { { "idType", "MSISDN" },
            { "idValue", Backends::partyId(party).toStdString() } };
        req["amountType"] = "SEND";
        req["currency"] = "USD";
        req["amount"] = "100";
        req["transactionType"] = "TRANSFER";
        req["note"] = "bench";
        Net::HttpClientRequest r;
        r.method = "POST";
        r.url = url;
        r.body = Fspiop::serializeJson(req);
        r.headers.add("Content-Type", "application/json");
        r.timeout = std::chrono::milliseconds(120000);
        auto started = std::make_shared<QElapsedTimer>();
        started->start();
        client.send(std::move(r), &context, [&, started](Net::HttpClientResult res) {
            const double ms = double(started->nsecsElapsed()) / 1e6;
            QString error;
            if (!res) {
                error = u"no response"_s;
            } else {
                auto body = Fspiop::parseJson(res->body);
                const bool completed
                    = body && body->is_object() && body->value("currentState", "") == "COMPLETED";
                if (res->status != 200 || !completed)
                    error = u"HTTP %1: %2"_s.arg(res->status)
                                .arg(QString::fromUtf8(res->body.left(300)));
            }
            if (error.isEmpty()) {
                ++m.ok;
                m.latenciesMs << ms;
            } else {
                ++m.failed;
                if (m.firstError.isEmpty())
                    m.firstError = error;
            }
            if (++done == count)
                loop.quit();
            else if (issued < count)
                issue();
        });
    };
    wall.start();
    for (int i = 0; i < std::min(concurrency, count); ++i)
        issue();
    if (count > 0)
        loop.exec();
    m.wallS = double(wall.nsecsElapsed()) / 1e9;
    return m;
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto idx = qsizetype(std::ceil(p * double(v.size()))) - 1;
    return v[std::clamp<qsizetype>(idx, 0, v.size() - 1)];
}

struct PairResult
{
    QString name;
    bool ran = false;
    QString error;
    Measured m;
    double payerCpuMs = 0, payeeCpuMs = 0, extraCpuMs = 0; ///< per transfer; extra = redis
    qint64 payerHwmKiB = 0, payeeHwmKiB = 0, extraHwmKiB = 0;
    int transfers = 0;
    double rate() const { return m.wallS > 0 ? double(m.ok) / m.wallS : 0; }
};

struct Options
{
    int transfers = 300;
    int refTransfers = 300; ///< measured transfers of the reference pairs (they are ~15x slower)
    int warmup = 20;
    int concurrency = 8;
    QString perfDir;
};

/** A running pair: the payer's outbound URL and the pids to measure. */
struct RunningPair
{
    QUrl outbound;
    qint64 payerPid = 0, payeePid = 0, extraPid = 0;
};

/** perf record on the pair's processes while the measured run lasts (if --perf). */
class PerfRecorder
{
public:
    void start(const QString &dir, const QString &name, const RunningPair &pair)
    {
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        m_data = dir + u'/' + name + u".perf.data"_s;
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->start(u"perf"_s,
            { u"record"_s, u"-F"_s, u"499"_s, u"-g"_s, u"-o"_s, m_data, u"-p"_s,
                u"%1,%2"_s.arg(pair.payerPid).arg(pair.payeePid) });
        m_process->waitForStarted(5000);
        QThread::msleep(300); // let perf attach before the run starts
    }
    void stopAndReport()
    {
        if (!m_process)
            return;
        ::kill(pid_t(m_process->processId()), SIGINT);
        m_process->waitForFinished(60000);
        for (const QString &sort : { u"dso"_s, u"dso,sym"_s }) {
            QProcess report;
            report.start(u"perf"_s,
                { u"report"_s, u"-i"_s, m_data, u"--stdio"_s, u"--no-children"_s, u"--sort"_s, sort,
                    u"--percent-limit"_s, u"1.5"_s, u"-g"_s, u"none"_s });
            report.waitForFinished(120000);
            say(u"## perf report --sort %1 (both processes of the pair, samples >= 1.5 %)"_s.arg(
                sort));
            for (const QString &line :
                QString::fromUtf8(report.readAllStandardOutput()).split(u'\n')) {
                if (!line.startsWith(u'#') && !line.trimmed().isEmpty())
                    say(u"   "_s + line);
            }
        }
        m_process.reset();
    }

private:
    QString m_data;
    std::unique_ptr<QProcess> m_process;
};

PairResult measure(const QString &name, const RunningPair &pair, Backends &backends,
    const Options &o, int transfers, int &nextParty)
{
    PairResult r;
    r.name = name;
    auto client = Net::createHttpClient();
    Measured warm = drive(*client, pair.outbound, o.warmup, o.concurrency, nextParty);
    if (warm.failed > 0) {
        r.error
            = u"warm-up: %1 of %2 failed: %3"_s.arg(warm.failed).arg(o.warmup).arg(warm.firstError);
        return r;
    }
    const int beforeBackend = backends.payeeTransfers();
    const double p0 = cpuMs(pair.payerPid), e0 = cpuMs(pair.payeePid), x0 = cpuMs(pair.extraPid);
    PerfRecorder perf;
    perf.start(o.perfDir, name, pair);
    r.m = drive(*client, pair.outbound, transfers, o.concurrency, nextParty);
    const double p1 = cpuMs(pair.payerPid), e1 = cpuMs(pair.payeePid), x1 = cpuMs(pair.extraPid);
    perf.stopAndReport();
    r.ran = true;
    r.transfers = r.m.ok + r.m.failed;
    const double n = std::max(1, r.transfers);
    r.payerCpuMs = (p1 - p0) / n;
    r.payeeCpuMs = (e1 - e0) / n;
    r.extraCpuMs = pair.extraPid ? (x1 - x0) / n : 0;
    r.payerHwmKiB = statusKiB(pair.payerPid, "VmHWM");
    r.payeeHwmKiB = statusKiB(pair.payeePid, "VmHWM");
    r.extraHwmKiB = pair.extraPid ? statusKiB(pair.extraPid, "VmHWM") : 0;
    const int backendCalls = backends.payeeTransfers() - beforeBackend;
    if (r.m.failed > 0)
        r.error
            = u"%1 of %2 failed, first: %3"_s.arg(r.m.failed).arg(r.transfers).arg(r.m.firstError);
    else if (backendCalls != r.transfers)
        r.error = u"payee backend got %1 POST /transfers for %2 transfers"_s.arg(backendCalls)
                      .arg(r.transfers);
    return r;
}

struct Keys
{
    QString payerKey, payeeKey, keysDir;
    std::optional<Test::TestPki> pki;
};

PairResult runOurs(const QString &name, bool mtls, Keys &keys, const QString &workDir,
    const Options &o, int &nextParty)
{
    PairResult failed;
    failed.name = name;
    Backends backends;
    if (!backends.start(nextParty, o.warmup + o.transfers + 10)) {
        failed.error = u"backends did not start"_s;
        return failed;
    }
    // Ports for both sides up front: each one's PEER_ENDPOINT is the other's inbound.
    auto port = [] { return Interop::freeLoopbackPort().value_or(0); };
    const quint16 payerIn = port(), payeeIn = port();
    QList<std::pair<QString, QString>> tls;
    if (mtls) {
        const Test::TestPki &pki = *keys.pki;
        tls = { { u"INBOUND_MUTUAL_TLS_ENABLED"_s, u"true"_s },
            { u"IN_CA_CERT_PATH"_s, pki.ca().certificatePath },
            { u"IN_SERVER_CERT_PATH"_s, pki.server().certificatePath },
            { u"IN_SERVER_KEY_PATH"_s, pki.server().privateKeyPath },
            { u"OUTBOUND_MUTUAL_TLS_ENABLED"_s, u"true"_s },
            { u"OUT_CA_CERT_PATH"_s, pki.ca().certificatePath },
            { u"OUT_CLIENT_CERT_PATH"_s, pki.client().certificatePath },
            { u"OUT_CLIENT_KEY_PATH"_s, pki.client().privateKeyPath } };
    }
    const QString dir = workDir + u'/' + name;
    QDir().mkpath(dir);
    Test::ConnectorProcess payer(
        { u"payerfsp"_s, payerIn, port(), port(), u"127.0.0.1:%1"_s.arg(payeeIn),
            backends.payer->endpoint(), keys.payerKey, keys.keysDir, tls },
        dir + u"/payer"_s, dir + u"/payer.log"_s);
    Test::ConnectorProcess payee(
        { u"payeefsp"_s, payeeIn, port(), port(), u"127.0.0.1:%1"_s.arg(payerIn),
            backends.payee->endpoint(), keys.payeeKey, keys.keysDir, tls },
        dir + u"/payee"_s, dir + u"/payee.log"_s);
    for (auto *p : { &payee, &payer }) {
        if (auto started = p->start(); !started) {
            failed.error = started.error().message;
            return failed;
        }
    }
    RunningPair pair { QUrl(u"http://127.0.0.1:%1/transfers"_s.arg(payer.settings().outboundPort)),
        payer.pid(), payee.pid(), 0 };
    PairResult r = measure(name, pair, backends, o, o.transfers, nextParty);
    payer.terminate();
    payee.terminate();
    return r;
}

PairResult runReference(
    const QString &name, bool mtls, Keys &keys, const Options &o, int &nextParty)
{
    PairResult failed;
    failed.name = name;
    Backends backends;
    if (!backends.start(nextParty, o.warmup + o.refTransfers + 10)) {
        failed.error = u"backends did not start"_s;
        return failed;
    }
    Interop::RedisServer redis;
    if (auto started = redis.start(); !started) {
        failed.error = u"redis: "_s + started.error().message;
        return failed;
    }
    auto port = [] { return Interop::freeLoopbackPort().value_or(0); };
    Interop::ReferenceSdkSettings payerSettings, payeeSettings;
    payerSettings.dfspId = u"payerfsp"_s;
    payeeSettings.dfspId = u"payeefsp"_s;
    payerSettings.inboundPort = port();
    payerSettings.outboundPort = port();
    payerSettings.metricsPort = port();
    payeeSettings.inboundPort = port();
    payeeSettings.outboundPort = port();
    payeeSettings.metricsPort = port();
    payerSettings.peerEndpoint = u"127.0.0.1:%1"_s.arg(payeeSettings.inboundPort);
    payeeSettings.peerEndpoint = u"127.0.0.1:%1"_s.arg(payerSettings.inboundPort);
    payerSettings.backendEndpoint = backends.payer->endpoint();
    payeeSettings.backendEndpoint = backends.payee->endpoint();
    payerSettings.cacheUrl = redis.url(1);
    payeeSettings.cacheUrl = redis.url(2);
    payerSettings.jwsSigningKeyPath = keys.payerKey;
    payeeSettings.jwsSigningKeyPath = keys.payeeKey;
    for (auto *s : { &payerSettings, &payeeSettings }) {
        s->jwsVerificationKeysDirectory = keys.keysDir;
        s->checkIlp = true;
        s->requestProcessingTimeoutSeconds = 60;
        s->expirySeconds = 300;
        if (mtls) {
            const Test::TestPki &pki = *keys.pki;
            s->inboundMutualTls = s->outboundMutualTls = true;
            s->inCaCertPath = s->outCaCertPath = pki.ca().certificatePath;
            s->inServerCertPath = pki.server().certificatePath;
            s->inServerKeyPath = pki.server().privateKeyPath;
            s->outClientCertPath = pki.client().certificatePath;
            s->outClientKeyPath = pki.client().privateKeyPath;
        }
    }
    Interop::ReferenceSdk payer, payee;
    if (auto started = payee.start(payeeSettings); !started) {
        failed.error = u"payee SDK: "_s + started.error().message;
        return failed;
    }
    if (auto started = payer.start(payerSettings); !started) {
        failed.error = u"payer SDK: "_s + started.error().message;
        return failed;
    }
    RunningPair pair { QUrl(payer.outboundUrl() + u"/transfers"_s), payer.pid(), payee.pid(),
        redis.pid() };
    PairResult r = measure(name, pair, backends, o, o.refTransfers, nextParty);
    if (!r.error.isEmpty())
        say(u"   %1 payer log tail: %2"_s.arg(name, payer.logTail(1500)));
    return r;
}

Pm::Result<Keys> makeKeys(const QString &dir)
{
    Keys k;
    k.keysDir = dir + u"/jwskeys"_s;
    QDir().mkpath(k.keysDir);
    for (const QString &fsp : { u"payerfsp"_s, u"payeefsp"_s }) {
        auto pem = Interop::generateRsaPrivateKeyPem(2048);
        if (!pem)
            return std::unexpected(pem.error());
        auto key = Fspiop::Jws::SigningKey::fromPem(*pem);
        if (!key)
            return std::unexpected(key.error());
        const QString path = dir + u'/' + fsp + u"-jws.pem"_s;
        QFile priv(path), pub(k.keysDir + u'/' + fsp + u".pem"_s);
        if (!priv.open(QIODevice::WriteOnly) || priv.write(*pem) != pem->size()
            || !pub.open(QIODevice::WriteOnly) || pub.write(key->publicKeyPem()) < 0)
            return Pm::fail(0, u"cannot write the JWS keys in "_s + dir);
        (fsp == u"payerfsp"_s ? k.payerKey : k.payeeKey) = path;
    }
    auto pki = Test::TestPki::create(dir, Test::TestKeyType::Rsa2048);
    if (!pki)
        return std::unexpected(pki.error());
    k.pki.emplace(std::move(*pki));
    return k;
}

QString mib(qint64 kib)
{
    return kib > 0 ? QString::number(double(kib) / 1024.0, 'f', 1) : u"-"_s;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption transfersOpt(
        u"transfers"_s, u"Measured transfers per pair."_s, u"N"_s, u"300"_s);
    const QCommandLineOption refTransfersOpt(u"ref-transfers"_s,
        u"Measured transfers per reference pair (default: --transfers)."_s, u"N"_s);
    const QCommandLineOption warmupOpt(
        u"warmup"_s, u"Warm-up transfers per pair."_s, u"N"_s, u"20"_s);
    const QCommandLineOption concurrencyOpt(
        u"concurrency"_s, u"Transfers in flight."_s, u"C"_s, u"8"_s);
    const QCommandLineOption pairsOpt(u"pairs"_s,
        u"Comma-separated: ours, ours-mtls, ref, ref-mtls."_s, u"LIST"_s,
        u"ours,ours-mtls,ref,ref-mtls"_s);
    const QCommandLineOption perfOpt(
        u"perf"_s, u"perf record each pair's processes into DIR."_s, u"DIR"_s);
    parser.addOptions(
        { transfersOpt, refTransfersOpt, warmupOpt, concurrencyOpt, pairsOpt, perfOpt });
    parser.process(app);
    Options o;
    o.transfers = parser.value(transfersOpt).toInt();
    o.refTransfers
        = parser.isSet(refTransfersOpt) ? parser.value(refTransfersOpt).toInt() : o.transfers;
    o.warmup = parser.value(warmupOpt).toInt();
    o.concurrency = std::max(1, parser.value(concurrencyOpt).toInt());
    o.perfDir = parser.value(perfOpt);
    const QStringList pairs = parser.value(pairsOpt).split(u',', Qt::SkipEmptyParts);

    QTemporaryDir work;
    auto keys = makeKeys(work.path());
    if (!keys) {
        say(u"bench_transfers: "_s + keys.error().message);
        return 1;
    }
    say(u"# bench_transfers: %1 transfers per pm-connector pair, %2 per reference pair, each after "
        u"%3 warm-up; "
        u"concurrency %4; JWS RS256 sign+verify and CHECK_ILP on both pairs; backends answer at once"_s
            .arg(o.transfers)
            .arg(o.refTransfers)
            .arg(o.warmup)
            .arg(o.concurrency));
    say(u"# %1 cores, %2; load before: %3"_s.arg(QThread::idealThreadCount())
            .arg(QSysInfo::prettyProductName(), loadAverage()));
    QList<PairResult> results;
    int nextParty = 0;
    for (const QString &p : pairs) {
        say(u"## %1 (load %2)"_s.arg(p, loadAverage()));
        PairResult r;
        if (p == u"ours"_s || p == u"ours-mtls"_s)
            r = runOurs(p, p.endsWith(u"mtls"_s), *keys, work.path(), o, nextParty);
        else if (p == u"ref"_s || p == u"ref-mtls"_s)
            r = runReference(p, p.endsWith(u"mtls"_s), *keys, o, nextParty);
        else
            r.error = u"unknown pair"_s;
        r.name = p;
        if (!r.error.isEmpty())
            say(u"   problem: "_s + r.error);
        if (r.ran) {
            say(u"   %1 ok, %2 failed in %3 s: %4 transfers/s, p50 %5 ms, p99 %6 ms, CPU/transfer "
                u"payer %7 ms + "
                u"payee %8 ms%9"_s.arg(r.m.ok)
                    .arg(r.m.failed)
                    .arg(r.m.wallS, 0, 'f', 2)
                    .arg(r.rate(), 0, 'f', 1)
                    .arg(percentile(r.m.latenciesMs, 0.5), 0, 'f', 1)
                    .arg(percentile(r.m.latenciesMs, 0.99), 0, 'f', 1)
                    .arg(r.payerCpuMs, 0, 'f', 2)
                    .arg(r.payeeCpuMs, 0, 'f', 2)
                    .arg(r.extraCpuMs > 0 ? u" (+ redis %1 ms)"_s.arg(r.extraCpuMs, 0, 'f', 2)
                                          : QString()));
        }
        results << r;
    }

    say(u"# load after: "_s + loadAverage());
    say({});
    say(u"pair        transfers/s   p50 ms   p99 ms   CPU ms/transfer (payer+payee)   RSS MiB payer/payee   failed"_s);
    const PairResult *ours = nullptr, *oursTls = nullptr, *ref = nullptr, *refTls = nullptr;
    for (const PairResult &r : results) {
        if (!r.ran) {
            say(u"%1  not measured: %2"_s.arg(r.name.leftJustified(10), r.error));
            continue;
        }
        say(u"%1  %2  %3  %4  %5  %6  %7"_s.arg(r.name.leftJustified(10))
                .arg(QString::number(r.rate(), 'f', 1).rightJustified(11))
                .arg(QString::number(percentile(r.m.latenciesMs, 0.5), 'f', 1).rightJustified(7))
                .arg(QString::number(percentile(r.m.latenciesMs, 0.99), 'f', 1).rightJustified(7))
                .arg(QString(QString::number(r.payerCpuMs + r.payeeCpuMs, 'f', 2) + u" ("_s
                    + QString::number(r.payerCpuMs, 'f', 2) + u" + "_s
                    + QString::number(r.payeeCpuMs, 'f', 2) + u")"_s
                    + (r.extraCpuMs > 0 ? u" +redis "_s + QString::number(r.extraCpuMs, 'f', 2)
                                        : QString()))
                         .leftJustified(30))
                .arg(QString(mib(r.payerHwmKiB) + u" / "_s + mib(r.payeeHwmKiB)).leftJustified(20))
                .arg(r.m.failed));
        if (r.name == u"ours"_s)
            ours = &r;
        else if (r.name == u"ours-mtls"_s)
            oursTls = &r;
        else if (r.name == u"ref"_s)
            ref = &r;
        else if (r.name == u"ref-mtls"_s)
            refTls = &r;
    }
    say({});
    auto verdict = [](bool met) { return met ? u"met"_s : u"MISSED"_s; };
    if (ours) {
        const double cpu = ours->payerCpuMs + ours->payeeCpuMs;
        say(u"target CPU < 2 ms per transfer (both connectors): %1 ms -> %2"_s.arg(cpu, 0, 'f', 2)
                .arg(verdict(cpu < 2.0)));
        const double rss = double(std::max(ours->payerHwmKiB, ours->payeeHwmKiB)) / 1024.0;
        say(u"target RSS < 60 MiB per connector: peak %1 MiB -> %2"_s.arg(rss, 0, 'f', 1)
                .arg(verdict(rss < 60.0)));
    }
    if (ours && ref && ref->rate() > 0) {
        const double x = ours->rate() / ref->rate();
        say(u"target throughput >= 8x the reference: %1x -> %2"_s.arg(x, 0, 'f', 1)
                .arg(verdict(x >= 8.0)));
    }
    if (ours && oursTls && ours->rate() > 0) {
        const double slower = 100.0 * (1.0 - oursTls->rate() / ours->rate());
        const double cpuMore = 100.0
            * ((oursTls->payerCpuMs + oursTls->payeeCpuMs) / (ours->payerCpuMs + ours->payeeCpuMs)
                - 1.0);
        say(u"target mTLS <= 20 % slower (ours): throughput %1 % lower, CPU %2 % higher -> %3"_s
                .arg(slower, 0, 'f', 1)
                .arg(cpuMore, 0, 'f', 1)
                .arg(verdict(slower <= 20.0)));
    }
    if (ref && refTls && ref->rate() > 0) {
        say(u"reference mTLS vs plain: throughput %1 % lower"_s.arg(
            100.0 * (1.0 - refTls->rate() / ref->rate()), 0, 'f', 1));
    }
    return 0;
}
