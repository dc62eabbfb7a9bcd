#include "core/store/messagerepository.h"

#include "core/store/reads_p.h"

namespace Pm::Store {

using namespace Internal;

void MessageRepository::append(MessageRecord message, QObject *context, Completion done)
{
    WriteBatch batch;
    batch.appendMessage(std::move(message));
    m_core->submit(std::move(batch), context, std::move(done));
}

Pm::Result<std::vector<MessageRecord>> MessageRepository::ofTransfer(const QString &transferId) const
{
    return selectRows(*m_core, MessagesOfTransfer, {transferId}, messageFromRow);
}

Pm::Result<std::vector<MessageRecord>>
MessageRepository::byCorrelationId(const QString &correlationId) const
{
    return selectRows(*m_core, MessagesByCorrelation, {correlationId}, messageFromRow);
}

} // namespace Pm::Store
