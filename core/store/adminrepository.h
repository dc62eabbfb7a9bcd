#pragma once

#include "core/base/result.h"
#include "core/store/records.h"
#include "core/store/writebatch.h"

#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace Pm::Store {

namespace Internal {
class StoreCore;
}

/** The audit log of administrative actions and the key/value settings. From Store::admin(). */
class AdminRepository
{
public:
    /** Appends one audit record (its id is assigned by the store). */
    void appendAudit(AuditRecord record, QObject *context = nullptr, Completion done = {});

    /** Audit records of [fromMs, toMs), newest first, at most `limit`. */
    Pm::Result<std::vector<AuditRecord>> auditLog(qint64 fromMs, qint64 toMs, int limit = 1000) const;

    /** Inserts or replaces one setting. */
    void setSetting(SettingRecord setting, QObject *context = nullptr, Completion done = {});

    /** Removes one setting. */
    void removeSetting(QString scope, QString key, QObject *context = nullptr, Completion done = {});

    /** The setting; nullopt if it is not set. */
    Pm::Result<std::optional<SettingRecord>> setting(const QString &scope, const QString &key) const;

    /** Every setting of a scope, ordered by key. */
    Pm::Result<std::vector<SettingRecord>> settings(const QString &scope) const;

private:
    friend class Store;
    explicit AdminRepository(Internal::StoreCore *core) : m_core(core) {}

    Internal::StoreCore *m_core;
};

} // namespace Pm::Store
