#include "ui/data/transferexport.h"

#include "core/store/store.h"
#include "ui/data/portaldata.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <memory>
#include <xlsxwriter.h>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

namespace {

class ExportTexts
{
    Q_DECLARE_TR_FUNCTIONS(Pm::Ui::ExportTexts)
};

constexpr int PageSize = 2000;

struct WorkbookCloser
{
    void operator()(lxw_workbook *workbook) const
    {
        if (workbook)
            workbook_close(workbook);
    }
};

Pm::Error exportError(const QString &message)
{
    return Pm::Error { 0, message, {} };
}

} // namespace

QStringList exportColumnTitles()
{
    return { ExportTexts::tr("Transfer ID"), ExportTexts::tr("Direction"),
        ExportTexts::tr("Status"), ExportTexts::tr("State"), ExportTexts::tr("Initiated (UTC)"),
        ExportTexts::tr("Completed (UTC)"), ExportTexts::tr("Amount"), ExportTexts::tr("Currency"),
        ExportTexts::tr("Payer ID type"), ExportTexts::tr("Payer ID"), ExportTexts::tr("Payer FSP"),
        ExportTexts::tr("Payee ID type"), ExportTexts::tr("Payee ID"),
        ExportTexts::tr("Payee sub-ID"), ExportTexts::tr("Payee FSP"),
        ExportTexts::tr("Home transaction ID"), ExportTexts::tr("Error code"),
        ExportTexts::tr("Error description") };
}

QStringList exportCells(const Store::TransferRecord &t)
{
    return { t.id, Store::storedName(t.direction), Store::storedName(t.status), t.state,
        isoTime(t.initiatedAt), t.completedAt ? isoTime(*t.completedAt) : QString(), t.amount,
        t.currency, t.payer.idType, t.payer.idValue, t.payer.fspId, t.payee.idType, t.payee.idValue,
        t.payee.subId, t.payee.fspId, t.homeTransactionId,
        t.lastErrorCode ? QString::number(*t.lastErrorCode) : QString(), t.lastErrorDescription };
}

QString csvField(const QString &value)
{
    if (!value.contains(u',') && !value.contains(u'"') && !value.contains(u'\n')
        && !value.contains(u'\r'))
        return value;
    QString quoted = value;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

Pm::Result<qint64> exportTransfers(Store::Store &store, Store::TransferQuery query,
    const QString &path, ExportFormat format, const ExportProgress &progress)
{
    auto total = store.transfers().count(query.filter);
    if (!total)
        return std::unexpected(total.error());

    // Both formats go to a temporary file first: QSaveFile for CSV; for XLSX a sibling file
    // that libxlsxwriter writes and that is renamed over `path` once closed.
    QSaveFile csv(path);
    std::unique_ptr<lxw_workbook, WorkbookCloser> workbook;
    lxw_worksheet *sheet = nullptr;
    const QString xlsxTemp = path + u".part"_s;
    const QByteArray xlsxTempName = QFile::encodeName(xlsxTemp);
    if (format == ExportFormat::Csv) {
        if (!csv.open(QIODevice::WriteOnly))
            return std::unexpected(
                exportError(ExportTexts::tr("cannot write %1: %2").arg(path, csv.errorString())));
        csv.write((exportColumnTitles().join(u',') + u"\r\n"_s).toUtf8());
    } else {
        lxw_workbook_options options {};
        options.constant_memory = LXW_TRUE;
        workbook.reset(workbook_new_opt(xlsxTempName.constData(), &options));
        if (!workbook)
            return std::unexpected(exportError(ExportTexts::tr("cannot write %1").arg(path)));
        sheet = workbook_add_worksheet(workbook.get(), "Transfers");
        const QStringList titles = exportColumnTitles();
        for (int c = 0; c < titles.size(); ++c)
            worksheet_write_string(sheet, 0, lxw_col_t(c), titles[c].toUtf8().constData(), nullptr);
    }
    auto abandon = [&] {
        if (format == ExportFormat::Csv) {
            csv.cancelWriting();
        } else {
            workbook.reset();
            QFile::remove(xlsxTemp);
        }
    };

    qint64 written = 0;
    if (progress && !progress(0, *total)) {
        abandon();
        return std::unexpected(exportError(ExportTexts::tr("export cancelled")));
    }
    query.offset = 0;
    query.limit = PageSize;
    for (;;) {
        auto page = store.transfers().search(query);
        if (!page) {
            abandon();
            return std::unexpected(page.error());
        }
        for (const Store::TransferRecord &t : *page) {
            const QStringList cells = exportCells(t);
            if (format == ExportFormat::Csv) {
                QString line;
                for (qsizetype c = 0; c < cells.size(); ++c) {
                    if (c)
                        line += u',';
                    line += csvField(cells[c]);
                }
                line += u"\r\n"_s;
                csv.write(line.toUtf8());
            } else {
                if (written + 1 >= LXW_ROW_MAX) {
                    abandon();
                    return std::unexpected(exportError(ExportTexts::tr(
                        "more rows than a spreadsheet holds: narrow the search or export CSV")));
                }
                for (qsizetype c = 0; c < cells.size(); ++c) {
                    if (!cells[c].isEmpty())
                        worksheet_write_string(sheet, lxw_row_t(written + 1), lxw_col_t(c),
                            cells[c].toUtf8().constData(), nullptr);
                }
            }
            ++written;
        }
        if (progress && !progress(written, std::max(written, *total))) {
            abandon();
            return std::unexpected(exportError(ExportTexts::tr("export cancelled")));
        }
        if (int(page->size()) < PageSize)
            break;
        query.offset += PageSize;
    }

    if (format == ExportFormat::Csv) {
        if (!csv.commit())
            return std::unexpected(
                exportError(ExportTexts::tr("cannot write %1: %2").arg(path, csv.errorString())));
    } else {
        const lxw_error status = workbook_close(workbook.release());
        if (status != LXW_NO_ERROR) {
            QFile::remove(xlsxTemp);
            return std::unexpected(
                exportError(ExportTexts::tr("cannot write %1: %2")
                                .arg(path, QString::fromUtf8(lxw_strerror(status)))));
        }
        QFile::remove(path);
        if (!QFile::rename(xlsxTemp, path)) {
            QFile::remove(xlsxTemp);
            return std::unexpected(exportError(ExportTexts::tr("cannot write %1").arg(path)));
        }
    }
    return written;
}

} // namespace Pm::Ui
