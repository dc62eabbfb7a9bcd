// Benchmarks of the FSPIOP protocol library: JWS sign and verify, ILP build, and a whole
// PUT /quotes callback built and signed. BM_OpenSslRsa2048Sign measures the bare RSA-2048
// signature on the same key in the same run, so the JWS overhead can be read off directly.
#include "core/fspiop/headers.h"
#include "core/fspiop/ilp.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"
#include "core/fspiop/mediatype.h"

#include <QFile>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pm::Fspiop;

namespace {

QByteArray readData(const char *relative)
{
    QFile file(QStringLiteral(PM_TEST_DATA_DIR) + u'/' + QString::fromUtf8(relative));
    if (!file.open(QIODevice::ReadOnly))
        std::abort();
    return file.readAll();
}

struct Fixture
{
    Jws::SigningKey signingKey;
    Jws::VerificationKey verificationKey;
    Json vectors;
    Json quoteRequest;
    Json quoteResponse;
    QByteArray body; // a PUT /quotes body as a peer sends it

    static Fixture &instance()
    {
        static Fixture fixture = make();
        return fixture;
    }

private:
    static Fixture make()
    {
        auto signingKey = Jws::SigningKey::fromPem(readData("vectors/jws-test-key.pem"));
        auto verificationKey = Jws::VerificationKey::fromPem(readData("vectors/jws-test-key.pub.pem"));
        auto jws = parseJson(readData("vectors/jws.json"));
        auto ilp = parseJson(readData("vectors/ilp.json"));
        if (!signingKey || !verificationKey || !jws || !ilp)
            std::abort();
        Json quoteRequest, quoteResponse;
        for (const Json &testCase : (*ilp)["cases"]) {
            if (testCase["name"] == "100.5-USD") {
                quoteRequest = testCase["input"]["quoteRequest"];
                quoteResponse = testCase["input"]["quoteResponse"];
                break;
            }
        }
        if (quoteRequest.is_null())
            std::abort();
        QByteArray body = serializeJson((*jws)["fixedInputs"]["body"]);
        return Fixture{*signingKey, *verificationKey, *jws, quoteRequest, quoteResponse, body};
    }
};

Jws::SignRequest putQuotesRequest(const QByteArray &body)
{
    return Jws::SignRequest{u"PUT"_s,
                            u"/quotes/b51ec534-ee48-4575-b6a9-ead2955b8069"_s,
                            u"payeefsp"_s,
                            u"payerfsp"_s,
                            u"Wed, 01 Jan 2025 00:00:00 GMT"_s,
                            body};
}

void BM_JwsSign(benchmark::State &state)
{
    Fixture &f = Fixture::instance();
    const Jws::SignRequest request = putQuotesRequest(f.body);
    for (auto _ : state) {
        auto headers = Jws::sign(f.signingKey, request);
        benchmark::DoNotOptimize(headers);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JwsSign)->UseRealTime();

// The bare RSA-2048 PKCS#1 v1.5 signature of a SHA-256 digest, context set up once: what
// `openssl speed rsa2048` measures.
void BM_OpenSslRsa2048Sign(benchmark::State &state)
{
    const QByteArray pem = readData("vectors/jws-test-key.pem");
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())),
                                                  &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new(key.get(), nullptr), &EVP_PKEY_CTX_free);
    if (!key || !ctx || EVP_PKEY_sign_init(ctx.get()) <= 0
        || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0
        || EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) <= 0)
        std::abort();
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>("payment manager"), 15, digest);
    unsigned char signature[256];
    for (auto _ : state) {
        size_t length = sizeof signature;
        if (EVP_PKEY_sign(ctx.get(), signature, &length, digest, sizeof digest) <= 0)
            std::abort();
        benchmark::DoNotOptimize(signature);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OpenSslRsa2048Sign)->UseRealTime();

void BM_JwsVerify(benchmark::State &state)
{
    Fixture &f = Fixture::instance();
    const auto signedHeaders = Jws::sign(f.signingKey, putQuotesRequest(f.body));
    if (!signedHeaders)
        std::abort();
    const Jws::HeaderList headers{
        {"content-type"_ba, "application/vnd.interoperability.quotes+json;version=1.0"_ba},
        {"date"_ba, "Wed, 01 Jan 2025 00:00:00 GMT"_ba},
        {"fspiop-source"_ba, "payeefsp"_ba},
        {"fspiop-destination"_ba, "payerfsp"_ba},
        {"fspiop-uri"_ba, signedHeaders->uri},
        {"fspiop-http-method"_ba, signedHeaders->httpMethod},
        {"fspiop-signature"_ba, signedHeaders->signature},
    };
    const Jws::KeyLookup keys = [&f](const QString &) { return std::optional(f.verificationKey); };
    for (auto _ : state) {
        auto result = Jws::verify(headers, f.body, keys);
        if (!result)
            std::abort();
        benchmark::DoNotOptimize(result);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JwsVerify)->UseRealTime();

void BM_IlpBuild(benchmark::State &state)
{
    Fixture &f = Fixture::instance();
    const Ilp::Builder builder(u"peers-test-ilp-secret");
    const auto version = state.range(0) == 4 ? Ilp::Version::V4 : Ilp::Version::V1;
    for (auto _ : state) {
        auto response = builder.buildForQuote(version, f.quoteRequest, f.quoteResponse);
        if (!response)
            std::abort();
        benchmark::DoNotOptimize(response);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IlpBuild)->Arg(1)->Arg(4)->UseRealTime();

// A payee's whole PUT /quotes callback: ILP packet, condition and fulfilment; the body built and
// serialised once; FSPIOP headers; the JWS signature over those exact bytes.
void BM_PutQuotesBuildAndSign(benchmark::State &state)
{
    Fixture &f = Fixture::instance();
    const Ilp::Builder builder(u"peers-test-ilp-secret");
    for (auto _ : state) {
        auto ilp = builder.buildForQuote(Ilp::Version::V1, f.quoteRequest, f.quoteResponse);
        if (!ilp)
            std::abort();
        Json body;
        body["transferAmount"] = f.quoteResponse["transferAmount"];
        body["payeeReceiveAmount"] = f.quoteResponse["payeeReceiveAmount"];
        body["expiration"] = f.quoteResponse["expiration"];
        body["ilpPacket"] = std::move(ilp->ilpPacket);
        body["condition"] = std::move(ilp->condition);
        const QByteArray bytes = serializeJson(body);

        HttpHeaders headers;
        const QString date = currentHttpDate();
        setHeader(headers, "content-type",
                  contentType(u"quotes", ApiVersion{1, 0}).toLatin1());
        setHeader(headers, "date", date.toLatin1());
        setHeader(headers, "fspiop-source", "payeefsp");
        setHeader(headers, "fspiop-destination", "payerfsp");
        const QString uri = u"/quotes/"_s
            + QString::fromStdString(f.quoteRequest["quoteId"].get<std::string>());
        auto signedHeaders = Jws::sign(
            f.signingKey, Jws::SignRequest{u"PUT"_s, uri, u"payeefsp"_s, u"payerfsp"_s, date, bytes});
        if (!signedHeaders)
            std::abort();
        setHeader(headers, "fspiop-uri", signedHeaders->uri);
        setHeader(headers, "fspiop-http-method", signedHeaders->httpMethod);
        setHeader(headers, "fspiop-signature", signedHeaders->signature);
        benchmark::DoNotOptimize(headers);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PutQuotesBuildAndSign)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
