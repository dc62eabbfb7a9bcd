#include "core/store/writebatch.h"

namespace Pm::Store {

WriteBatch &WriteBatch::upsertTransfer(TransferRecord record)
{
    m_ops.emplace_back(std::in_place_type<TransferRecord>, std::move(record));
    return *this;
}

WriteBatch &WriteBatch::updateTransfer(TransferUpdate update)
{
    m_ops.emplace_back(std::in_place_type<TransferUpdate>, std::move(update));
    return *this;
}

WriteBatch &WriteBatch::markStep(StepRecord step)
{
    m_ops.emplace_back(std::in_place_type<StepRecord>, std::move(step));
    return *this;
}

WriteBatch &WriteBatch::appendMessage(MessageRecord message)
{
    m_ops.emplace_back(std::in_place_type<MessageRecord>, std::move(message));
    return *this;
}

WriteBatch &WriteBatch::upsertQuote(QuoteRecord quote)
{
    m_ops.emplace_back(std::in_place_type<QuoteRecord>, std::move(quote));
    return *this;
}

WriteBatch &WriteBatch::addMetric(MetricSample sample)
{
    m_ops.emplace_back(std::in_place_type<MetricSample>, std::move(sample));
    return *this;
}

WriteBatch &WriteBatch::appendAudit(AuditRecord record)
{
    m_ops.emplace_back(std::in_place_type<AuditRecord>, std::move(record));
    return *this;
}

WriteBatch &WriteBatch::setSetting(SettingRecord setting)
{
    m_ops.emplace_back(std::in_place_type<SettingRecord>, std::move(setting));
    return *this;
}

WriteBatch &WriteBatch::removeSetting(QString scope, QString key)
{
    m_ops.emplace_back(std::in_place_type<SettingRemoval>,
                       SettingRemoval{std::move(scope), std::move(key)});
    return *this;
}

} // namespace Pm::Store
