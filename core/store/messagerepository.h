#pragma once

#include "core/base/result.h"
#include "core/store/records.h"
#include "core/store/writebatch.h"

#include <vector>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace Pm::Store {

namespace Internal {
class StoreCore;
}

/**
 * Every FSPIOP message, raw (headers and body bytes as on the wire). Obtained from
 * Store::messages(); valid while the store lives.
 */
class MessageRepository
{
public:
    /** Appends one message (its id is assigned by the store). */
    void append(MessageRecord message, QObject *context = nullptr, Completion done = {});

    /** The messages of a transfer in the order they were appended. */
    Pm::Result<std::vector<MessageRecord>> ofTransfer(const QString &transferId) const;

    /** The messages with this correlation id in the order they were appended. */
    Pm::Result<std::vector<MessageRecord>> byCorrelationId(const QString &correlationId) const;

private:
    friend class Store;
    explicit MessageRepository(Internal::StoreCore *core) : m_core(core) {}

    Internal::StoreCore *m_core;
};

} // namespace Pm::Store
