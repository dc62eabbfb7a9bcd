#pragma once

#include "core/store/records.h"

#include <QAbstractTableModel>
#include <vector>

namespace Pm::Ui {

class StoreAccess;

/**
 * The search results: transfers matching a filter, sorted, loaded lazily in pages
 * (canFetchMore/fetchMore) on the store's worker thread. A new filter or sort starts over; pages
 * of an older query that arrive late are dropped.
 */
class TransferTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        InitiatedColumn,
        IdColumn,
        DirectionColumn,
        StatusColumn,
        CounterpartyColumn,
        PayeeColumn,
        AmountColumn,
        CurrencyColumn,
        ErrorColumn,
        ColumnCount
    };

    static constexpr int PageSize = 200;

    explicit TransferTableModel(StoreAccess *access, QObject *parent = nullptr);

    /** Starts a new search. The first page loads at once; the total count follows. */
    void setFilter(const Store::TransferFilter &filter);
    const Store::TransferFilter &filter() const { return m_query.filter; }
    /** The current query (filter and order), as an export would run it. */
    Store::TransferQuery query() const { return m_query; }

    /** The transfer shown in `row`. */
    const Store::TransferRecord &transfer(int row) const { return m_rows.at(size_t(row)); }

    /** True while a page is being read. */
    bool isLoading() const { return m_loading; }
    /** How many transfers match (-1 until counted). */
    qint64 totalCount() const { return m_total; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent = {}) const override;
    void fetchMore(const QModelIndex &parent = {}) override;
    /** Initiated, ID and Amount sort in the store; the other columns keep the current order. */
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    /** Whether `column` can be sorted. */
    static bool isSortable(int column);

signals:
    /** A page arrived (`rows` of them). */
    void pageLoaded(int rows);
    void totalCountChanged(qint64 total);
    void loadFailed(const QString &message);

private:
    void restart();

    StoreAccess *m_access;
    Store::TransferQuery m_query;
    std::vector<Store::TransferRecord> m_rows;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_atEnd = false;
    qint64 m_total = -1;
};

} // namespace Pm::Ui
