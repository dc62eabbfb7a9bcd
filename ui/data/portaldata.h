#pragma once

#include "core/store/records.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace Pm::Store {
class Store;
}

namespace Pm::Ui {

// What the portal pages read from the store, as plain values loaded on a worker thread, and the
// display texts of the store's codes. Nothing here touches a widget.

/** A window of time [fromMs, toMs). */
struct TimeWindow
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
};

/** The chart windows offered everywhere: 1 h, 24 h (default), 1 week, or custom. */
enum class WindowPreset { LastHour, LastDay, LastWeek, Custom };

/** The window ending at `nowMs` (rounded up to the next minute so the current minute shows). */
TimeWindow presetWindow(WindowPreset preset, qint64 nowMs);

/** Everything the transfers overview shows for one window. */
struct OverviewData
{
    TimeWindow window;
    std::vector<Store::MinuteStats> minutes;
    qint64 completed = 0; ///< became final (successful) in the window, by completion time
    qint64 pending = 0; ///< initiated in the window and not final yet
    qint64 failed = 0; ///< became final (failed) in the window, by completion time
    std::vector<Store::ErrorCount> errors;
    std::vector<Store::TransferRecord> latestErrors; ///< newest first, at most LatestErrorCount
    QString error; ///< empty when every query succeeded

    static constexpr int LatestErrorCount = 10;
};

/** What the overview asks for. */
enum class OverviewParts { Summary = 1, Errors = 2, All = 3 };

/**
 * The overview's queries. Summary: minute statistics, counts, latest errors (each reads at most a
 * row per minute or an index range). Errors: the error breakdown, which groups every failed
 * transfer of the window and takes longer on a large record, so the page loads it beside the rest.
 */
OverviewData loadOverview(
    Store::Store &store, TimeWindow window, OverviewParts parts = OverviewParts::All);

/** One (resource, direction) line of the technical dashboard. */
struct MetricSeries
{
    QString resource;
    Store::MessageDirection direction = Store::MessageDirection::In;
    QList<qint64> minutes; ///< minute starts (ms)
    QList<double> requestsPerSec; ///< count / 60 per minute
    QList<double> averageLatencyMs;
    qint64 requests = 0;
    qint64 errors = 0;
    qint64 latencySumMs = 0;
    qint64 latencyMaxMs = 0;
};

/** The technical dashboard's data: the three FSPIOP resources in both directions. */
struct MetricsData
{
    TimeWindow window;
    std::vector<MetricSeries> series; ///< parties, quotes, transfers x in, out (always six)
    QString error;
};

/** The resources the dashboard charts, in order. */
QStringList dashboardResources();

MetricsData loadMetrics(Store::Store &store, TimeWindow window);

/** One FSPIOP message of a transfer with what the details dialog derives from it. */
struct MessageView
{
    Store::MessageRecord message;
    QString prettyBody; ///< indented JSON, or the raw text if it is not JSON
    QString jwsResult; ///< the verification result, in words
};

/** Everything the details dialog shows. */
struct TransferDetails
{
    std::optional<Store::TransferRecord> transfer;
    std::vector<MessageView> messages;
    std::vector<Store::StepRecord> steps;
    QString ilpDecoded; ///< the decoded packet fields and transaction object, or why it failed
    QString error;
};

/**
 * Loads a transfer with its messages and steps, decodes its ILP packet and verifies each signed
 * message with `<jwsKeysDirectory>/<FSPIOP-Source>.pem` when a directory is given.
 */
TransferDetails loadTransferDetails(
    Store::Store &store, const QString &transferId, const QString &jwsKeysDirectory);

// Display texts (translated).
QString directionText(Store::Direction direction);
QString statusText(Store::TransferStatus status);
QString messageDirectionText(Store::MessageDirection direction);
QString resourceText(const QString &resource);
/** "3204 Party not found" (the catalogue's name when the record has no description). */
QString errorText(std::optional<int> code, const QString &description);
/** The FSPIOP catalogue's name of an error code, or empty. */
QString fspiopErrorName(int code);
/** Local date and time "yyyy-MM-dd HH:mm:ss" of a ms timestamp (empty for 0). */
QString timeText(qint64 ms);
/** UTC ISO 8601 with milliseconds, for exports. */
QString isoTime(qint64 ms);
/** A decimal amount in `currency` parsed to minor units; nullopt if it is not a valid amount. */
std::optional<qint64> amountToMinor(const QString &amount, const QString &currency);

} // namespace Pm::Ui
