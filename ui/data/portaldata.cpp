#include "ui/data/portaldata.h"

#include "core/fspiop/amount.h"
#include "core/fspiop/errors.h"
#include "core/fspiop/ilp.h"
#include "core/fspiop/json.h"
#include "core/fspiop/jws.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QTimeZone>
#include <map>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

namespace {

constexpr qint64 MinuteMs = 60'000;
constexpr qint64 HourMs = 60 * MinuteMs;

/** The translation context of the texts below. */
class Labels
{
    Q_DECLARE_TR_FUNCTIONS(Pm::Ui::Labels)
};

QString prettyJson(const QByteArray &body)
{
    if (body.isEmpty())
        return {};
    auto parsed = Fspiop::parseJson(body);
    if (!parsed)
        return QString::fromUtf8(body);
    const std::string text
        = parsed->dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return QString::fromStdString(text);
}

QString jwsResultFor(const Store::MessageRecord &m, const QString &keysDirectory)
{
    QByteArray source;
    bool signedMessage = false;
    for (const auto &[name, value] : m.headers) {
        if (name.compare("fspiop-signature", Qt::CaseInsensitive) == 0)
            signedMessage = true;
        else if (name.compare("fspiop-source", Qt::CaseInsensitive) == 0)
            source = value;
    }
    if (!signedMessage)
        return Labels::tr("Not signed");
    if (keysDirectory.isEmpty())
        return Labels::tr(
            "Signed; not verified here: no verification keys folder is set (Settings menu)");
    const QString keyPath = QDir(keysDirectory).filePath(QString::fromUtf8(source) + u".pem"_s);
    QFile file(keyPath);
    if (!file.open(QIODevice::ReadOnly))
        return Labels::tr("Signed; not verified: no key %1").arg(keyPath);
    auto key = Fspiop::Jws::VerificationKey::fromPem(file.readAll());
    if (!key)
        return Labels::tr("Signed; not verified: the key %1 does not load (%2)")
            .arg(keyPath, key.error().message);
    const Fspiop::Jws::VerificationKey verificationKey = *key;
    auto result = Fspiop::Jws::verify(m.headers, m.body, [&](const QString &) {
        return std::optional<Fspiop::Jws::VerificationKey>(verificationKey);
    });
    if (!result)
        return Labels::tr("Invalid signature: %1 (FSPIOP %2)")
            .arg(result.error().message)
            .arg(result.error().code);
    return Labels::tr("Valid signature (%1, %2 body) by %3")
        .arg(Fspiop::Jws::algorithmName(result->algorithm),
            Fspiop::Jws::bodyFormName(result->bodyForm), result->source);
}

QString decodeIlp(const QString &packet)
{
    if (packet.isEmpty())
        return Labels::tr("No ILP packet recorded");
    auto decoded = Fspiop::Ilp::decode(packet.toStdString());
    if (!decoded)
        return Labels::tr("The ILP packet does not decode: %1").arg(decoded.error().message);
    const Fspiop::Ilp::Packet &p = decoded->packet;
    QStringList lines;
    lines << Labels::tr("Version: %1").arg(int(p.version));
    lines << Labels::tr("Amount (minor units): %1").arg(p.amount);
    if (!p.account.empty())
        lines << Labels::tr("Account: %1").arg(QString::fromStdString(p.account));
    if (!p.destination.empty())
        lines << Labels::tr("Destination: %1").arg(QString::fromStdString(p.destination));
    if (!p.expiresAt.empty())
        lines << Labels::tr("Expires at: %1").arg(QString::fromStdString(p.expiresAt));
    lines << Labels::tr("Transaction object:");
    lines << QString::fromStdString(decoded->transactionObject.dump(
        2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    return lines.join(u'\n');
}

} // namespace

TimeWindow presetWindow(WindowPreset preset, qint64 nowMs)
{
    const qint64 end = (nowMs / MinuteMs + 1) * MinuteMs;
    switch (preset) {
    case WindowPreset::LastHour:
        return { end - HourMs, end };
    case WindowPreset::LastWeek:
        return { end - 7 * 24 * HourMs, end };
    case WindowPreset::LastDay:
    case WindowPreset::Custom:
        break;
    }
    return { end - 24 * HourMs, end };
}

OverviewData loadOverview(Store::Store &store, TimeWindow window, OverviewParts parts)
{
    OverviewData data;
    data.window = window;
    if (int(parts) & int(OverviewParts::Errors)) {
        auto errors = store.transfers().errorCounts(window.fromMs, window.toMs);
        if (!errors) {
            data.error = errors.error().message;
            return data;
        }
        data.errors = std::move(*errors);
    }
    if (!(int(parts) & int(OverviewParts::Summary)))
        return data;
    auto minutes = store.transfers().minuteStats(window.fromMs, window.toMs);
    if (!minutes) {
        data.error = minutes.error().message;
        return data;
    }
    data.minutes = std::move(*minutes);
    // Final transfers are counted by completion time from the per-minute statistics the database
    // keeps (one row per minute), so the counts agree with the charts and cost nothing on a large
    // record; pending ones through the (status, initiated_at) index (decision 0020).
    for (const Store::MinuteStats &m : data.minutes) {
        data.completed += m.completed;
        data.failed += m.failed;
    }
    Store::TransferFilter pending;
    pending.status = Store::TransferStatus::Pending;
    pending.initiatedFrom = window.fromMs;
    pending.initiatedTo = window.toMs;
    auto pendingCount = store.transfers().count(pending);
    if (!pendingCount) {
        data.error = pendingCount.error().message;
        return data;
    }
    data.pending = *pendingCount;
    Store::TransferQuery latest;
    latest.filter.status = Store::TransferStatus::Failed;
    latest.filter.initiatedFrom = window.fromMs;
    latest.filter.initiatedTo = window.toMs;
    latest.sortKey = Store::TransferSortKey::InitiatedAt;
    latest.order = Qt::DescendingOrder;
    latest.limit = OverviewData::LatestErrorCount;
    auto rows = store.transfers().search(latest);
    if (!rows) {
        data.error = rows.error().message;
        return data;
    }
    data.latestErrors = std::move(*rows);
    return data;
}

QStringList dashboardResources()
{
    return { u"parties"_s, u"quotes"_s, u"transfers"_s };
}

MetricsData loadMetrics(Store::Store &store, TimeWindow window)
{
    MetricsData data;
    data.window = window;
    for (const QString &resource : dashboardResources()) {
        for (Store::MessageDirection direction :
            { Store::MessageDirection::In, Store::MessageDirection::Out }) {
            MetricSeries s;
            s.resource = resource;
            s.direction = direction;
            data.series.push_back(s);
        }
    }
    auto rows = store.metrics().rows(window.fromMs, window.toMs);
    if (!rows) {
        data.error = rows.error().message;
        return data;
    }
    for (const Store::MetricRow &row : *rows) {
        const qsizetype r = dashboardResources().indexOf(row.resource);
        if (r < 0)
            continue;
        MetricSeries &s
            = data.series[size_t(r * 2 + (row.direction == Store::MessageDirection::In ? 0 : 1))];
        s.minutes.append(row.minuteStartMs);
        s.requestsPerSec.append(double(row.count) / 60.0);
        s.averageLatencyMs.append(
            row.count > 0 ? double(row.latencySumMs) / double(row.count) : 0.0);
        s.requests += row.count;
        s.errors += row.errorCount;
        s.latencySumMs += row.latencySumMs;
        s.latencyMaxMs = std::max(s.latencyMaxMs, row.latencyMaxMs);
    }
    return data;
}

TransferDetails loadTransferDetails(
    Store::Store &store, const QString &transferId, const QString &jwsKeysDirectory)
{
    TransferDetails details;
    auto transfer = store.transfers().get(transferId);
    if (!transfer) {
        details.error = transfer.error().message;
        return details;
    }
    details.transfer = std::move(*transfer);
    if (!details.transfer) {
        details.error = Labels::tr("No transfer %1 in the store").arg(transferId);
        return details;
    }
    auto messages = store.messages().ofTransfer(transferId);
    if (!messages) {
        details.error = messages.error().message;
        return details;
    }
    for (Store::MessageRecord &m : *messages) {
        MessageView view;
        view.prettyBody = prettyJson(m.body);
        view.jwsResult = jwsResultFor(m, jwsKeysDirectory);
        view.message = std::move(m);
        details.messages.push_back(std::move(view));
    }
    auto steps = store.transfers().steps(transferId);
    if (steps)
        details.steps = std::move(*steps);
    details.ilpDecoded = decodeIlp(details.transfer->ilpPacket);
    return details;
}

QString directionText(Store::Direction direction)
{
    return direction == Store::Direction::Outbound ? Labels::tr("Outbound") : Labels::tr("Inbound");
}

QString statusText(Store::TransferStatus status)
{
    switch (status) {
    case Store::TransferStatus::Pending:
        return Labels::tr("Pending");
    case Store::TransferStatus::Completed:
        return Labels::tr("Successful");
    case Store::TransferStatus::Failed:
        return Labels::tr("Failed");
    }
    return {};
}

QString messageDirectionText(Store::MessageDirection direction)
{
    return direction == Store::MessageDirection::In ? Labels::tr("Received") : Labels::tr("Sent");
}

QString resourceText(const QString &resource)
{
    if (resource == u"parties")
        return Labels::tr("Party lookup");
    if (resource == u"quotes")
        return Labels::tr("Quote");
    if (resource == u"transfers")
        return Labels::tr("Transfer");
    return resource;
}

QString fspiopErrorName(int code)
{
    const Fspiop::ErrorDefinition *definition = Fspiop::findError(code);
    return definition ? definition->description : QString();
}

QString errorText(std::optional<int> code, const QString &description)
{
    if (!code)
        return description.isEmpty() ? Labels::tr("No error code") : description;
    const QString text = description.isEmpty() ? fspiopErrorName(*code) : description;
    return text.isEmpty() ? QString::number(*code) : u"%1 %2"_s.arg(*code).arg(text);
}

QString timeText(qint64 ms)
{
    if (ms == 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

std::optional<qint64> amountToMinor(const QString &amount, const QString &currency)
{
    auto parsed = Fspiop::Amount::parseLenient(amount.trimmed(), u"amount");
    if (!parsed)
        return std::nullopt;
    auto minor = parsed->toMinorUnits(currency, u"amount");
    if (!minor || *minor > quint64(std::numeric_limits<qint64>::max()))
        return std::nullopt;
    return qint64(*minor);
}

} // namespace Pm::Ui
