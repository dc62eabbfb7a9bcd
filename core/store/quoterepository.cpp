#include "core/store/quoterepository.h"

#include "core/store/reads_p.h"

namespace Pm::Store {

using namespace Internal;

void QuoteRepository::upsert(QuoteRecord quote, QObject *context, Completion done)
{
    WriteBatch batch;
    batch.upsertQuote(std::move(quote));
    m_core->submit(std::move(batch), context, std::move(done));
}

Pm::Result<std::optional<QuoteRecord>> QuoteRepository::get(const QString &quoteId) const
{
    return firstRow(selectRows(*m_core, QuoteById, {quoteId}, quoteFromRow));
}

} // namespace Pm::Store
