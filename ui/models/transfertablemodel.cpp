#include "ui/models/transfertablemodel.h"

#include "core/store/store.h"
#include "ui/data/portaldata.h"
#include "ui/data/storeaccess.h"

#include <QBrush>
#include <QColor>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

TransferTableModel::TransferTableModel(StoreAccess *access, QObject *parent)
    : QAbstractTableModel(parent)
    , m_access(access)
{
    m_query.limit = PageSize;
}

void TransferTableModel::setFilter(const Store::TransferFilter &filter)
{
    m_query.filter = filter;
    restart();
    if (!m_access)
        return;
    const quint64 generation = m_generation;
    m_access->run(
        this, [filter](Store::Store &store) { return store.transfers().count(filter); },
        [this, generation](const Pm::Result<qint64> &total) {
            if (generation != m_generation || !total)
                return;
            m_total = *total;
            emit totalCountChanged(m_total);
        });
}

void TransferTableModel::restart()
{
    beginResetModel();
    m_rows.clear();
    ++m_generation;
    m_loading = false;
    m_atEnd = false;
    m_total = -1;
    endResetModel();
    fetchMore();
}

int TransferTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TransferTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransferTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Store::TransferRecord &t = m_rows[size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
        case InitiatedColumn:
            return timeText(t.initiatedAt);
        case IdColumn:
            return t.id;
        case DirectionColumn:
            return directionText(t.direction);
        case StatusColumn:
            return statusText(t.status);
        case CounterpartyColumn:
            return t.counterpartyFspId();
        case PayeeColumn:
            return t.payee.subId.isEmpty()
                ? u"%1 %2"_s.arg(t.payee.idType, t.payee.idValue)
                : u"%1 %2 / %3"_s.arg(t.payee.idType, t.payee.idValue, t.payee.subId);
        case AmountColumn:
            return t.amount;
        case CurrencyColumn:
            return t.currency;
        case ErrorColumn:
            return t.status == Store::TransferStatus::Failed
                ? errorText(t.lastErrorCode, t.lastErrorDescription)
                : QString();
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == AmountColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == StatusColumn
        && t.status == Store::TransferStatus::Failed)
        return QBrush(QColor(0xb0, 0x20, 0x20));
    if (role == Qt::UserRole)
        return t.id;
    return {};
}

QVariant TransferTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case InitiatedColumn:
        return tr("Initiated");
    case IdColumn:
        return tr("Transfer ID");
    case DirectionColumn:
        return tr("Direction");
    case StatusColumn:
        return tr("Status");
    case CounterpartyColumn:
        return tr("Counterparty");
    case PayeeColumn:
        return tr("Payee");
    case AmountColumn:
        return tr("Amount");
    case CurrencyColumn:
        return tr("Currency");
    case ErrorColumn:
        return tr("Error");
    default:
        return {};
    }
}

bool TransferTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_access && !m_loading && !m_atEnd;
}

void TransferTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_loading = true;
    Store::TransferQuery query = m_query;
    query.offset = int(m_rows.size());
    query.limit = PageSize;
    const quint64 generation = m_generation;
    m_access->run(
        this, [query](Store::Store &store) { return store.transfers().search(query); },
        [this, generation](const Pm::Result<std::vector<Store::TransferRecord>> &page) {
            if (generation != m_generation)
                return;
            m_loading = false;
            if (!page) {
                m_atEnd = true;
                emit loadFailed(page.error().message);
                return;
            }
            m_atEnd = int(page->size()) < PageSize;
            if (!page->empty()) {
                const int first = int(m_rows.size());
                beginInsertRows({}, first, first + int(page->size()) - 1);
                m_rows.insert(m_rows.end(), page->begin(), page->end());
                endInsertRows();
            }
            emit pageLoaded(int(page->size()));
        });
}

bool TransferTableModel::isSortable(int column)
{
    return column == InitiatedColumn || column == IdColumn || column == AmountColumn;
}

void TransferTableModel::sort(int column, Qt::SortOrder order)
{
    Store::TransferSortKey key;
    switch (column) {
    case InitiatedColumn:
        key = Store::TransferSortKey::InitiatedAt;
        break;
    case IdColumn:
        key = Store::TransferSortKey::Id;
        break;
    case AmountColumn:
        key = Store::TransferSortKey::AmountMinor;
        break;
    default:
        return;
    }
    if (key == m_query.sortKey && order == m_query.order && !m_rows.empty())
        return;
    m_query.sortKey = key;
    m_query.order = order;
    restart();
}

} // namespace Pm::Ui
