#pragma once

#include "core/base/result.h"
#include "core/store/records.h"

#include <QString>
#include <QStringList>
#include <functional>

namespace Pm::Store {
class Store;
}

namespace Pm::Ui {

enum class ExportFormat { Csv, Xlsx };

/** The columns of a transfer export, in order (header texts, translated). */
QStringList exportColumnTitles();

/** One transfer as the export's cells, in exportColumnTitles() order. */
QStringList exportCells(const Store::TransferRecord &transfer);

/**
 * Progress of an export: rows written so far and the total expected. Return false to cancel.
 * Called on the exporting thread.
 */
using ExportProgress = std::function<bool(qint64 written, qint64 total)>;

/**
 * Writes every transfer matching `query.filter`, in `query`'s order, to `path` (CSV: UTF-8,
 * RFC 4180 quoting, header line; XLSX: one sheet "Transfers", header row, text cells so amounts and
 * ids stay exact). Pages through the store; runs on the calling thread (a worker). Writes to a
 * temporary file renamed into place at the end, so a cancelled or failed export leaves no
 * half-written file. Returns the number of rows written.
 */
Pm::Result<qint64> exportTransfers(Store::Store &store, Store::TransferQuery query,
    const QString &path, ExportFormat format, const ExportProgress &progress = {});

/** One CSV field, quoted when it holds a comma, quote, CR or LF. */
QString csvField(const QString &value);

} // namespace Pm::Ui
