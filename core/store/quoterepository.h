#pragma once

#include "core/base/result.h"
#include "core/store/records.h"
#include "core/store/writebatch.h"

#include <optional>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace Pm::Store {

namespace Internal {
class StoreCore;
}

/** Quotes, so that a re-sent POST /quotes is answered from the record. From Store::quotes(). */
class QuoteRepository
{
public:
    /** Inserts the quote or replaces the stored one (its createdAt is kept). */
    void upsert(QuoteRecord quote, QObject *context = nullptr, Completion done = {});

    /** The quote with this id; nullopt if there is none. */
    Pm::Result<std::optional<QuoteRecord>> get(const QString &quoteId) const;

private:
    friend class Store;
    explicit QuoteRepository(Internal::StoreCore *core) : m_core(core) {}

    Internal::StoreCore *m_core;
};

} // namespace Pm::Store
