#include "core/store/records.h"

using namespace Qt::StringLiterals;

namespace Pm::Store {

QString storedName(Direction value)
{
    return value == Direction::Outbound ? u"OUTBOUND"_s : u"INBOUND"_s;
}

QString storedName(TransferStatus value)
{
    switch (value) {
    case TransferStatus::Pending:
        return u"PENDING"_s;
    case TransferStatus::Completed:
        return u"COMPLETED"_s;
    case TransferStatus::Failed:
        return u"FAILED"_s;
    }
    Q_UNREACHABLE();
    return {};
}

QString storedName(MessageDirection value)
{
    return value == MessageDirection::In ? u"in"_s : u"out"_s;
}

QString storedName(MessageKind value)
{
    switch (value) {
    case MessageKind::Request:
        return u"request"_s;
    case MessageKind::Callback:
        return u"callback"_s;
    case MessageKind::Response:
        return u"response"_s;
    }
    Q_UNREACHABLE();
    return {};
}

QString storedName(StepStatus value)
{
    switch (value) {
    case StepStatus::Started:
        return u"STARTED"_s;
    case StepStatus::Done:
        return u"DONE"_s;
    case StepStatus::Failed:
        return u"FAILED"_s;
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<Direction> directionFromString(QStringView text)
{
    if (text == u"OUTBOUND")
        return Direction::Outbound;
    if (text == u"INBOUND")
        return Direction::Inbound;
    return std::nullopt;
}

std::optional<TransferStatus> transferStatusFromString(QStringView text)
{
    if (text == u"PENDING")
        return TransferStatus::Pending;
    if (text == u"COMPLETED")
        return TransferStatus::Completed;
    if (text == u"FAILED")
        return TransferStatus::Failed;
    return std::nullopt;
}

std::optional<MessageDirection> messageDirectionFromString(QStringView text)
{
    if (text == u"in")
        return MessageDirection::In;
    if (text == u"out")
        return MessageDirection::Out;
    return std::nullopt;
}

std::optional<MessageKind> messageKindFromString(QStringView text)
{
    if (text == u"request")
        return MessageKind::Request;
    if (text == u"callback")
        return MessageKind::Callback;
    if (text == u"response")
        return MessageKind::Response;
    return std::nullopt;
}

std::optional<StepStatus> stepStatusFromString(QStringView text)
{
    if (text == u"STARTED")
        return StepStatus::Started;
    if (text == u"DONE")
        return StepStatus::Done;
    if (text == u"FAILED")
        return StepStatus::Failed;
    return std::nullopt;
}

int latencyBucket(qint64 latencyMs)
{
    int i = 0;
    for (const qint64 bound : LatencyBucketBoundsMs) {
        if (latencyMs <= bound)
            return i;
        ++i;
    }
    return i;
}

} // namespace Pm::Store
