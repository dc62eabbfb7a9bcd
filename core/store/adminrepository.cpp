#include "core/store/adminrepository.h"

#include "core/store/reads_p.h"

using namespace Qt::StringLiterals;

namespace Pm::Store {

using namespace Internal;

void AdminRepository::appendAudit(AuditRecord record, QObject *context, Completion done)
{
    WriteBatch batch;
    batch.appendAudit(std::move(record));
    m_core->submit(std::move(batch), context, std::move(done));
}

Pm::Result<std::vector<AuditRecord>> AdminRepository::auditLog(qint64 fromMs, qint64 toMs,
                                                               int limit) const
{
    return selectRows(*m_core, AuditInWindow, {fromMs, toMs, qMax(0, limit)}, auditFromRow);
}

void AdminRepository::setSetting(SettingRecord setting, QObject *context, Completion done)
{
    WriteBatch batch;
    batch.setSetting(std::move(setting));
    m_core->submit(std::move(batch), context, std::move(done));
}

void AdminRepository::removeSetting(QString scope, QString key, QObject *context, Completion done)
{
    WriteBatch batch;
    batch.removeSetting(std::move(scope), std::move(key));
    m_core->submit(std::move(batch), context, std::move(done));
}

Pm::Result<std::optional<SettingRecord>> AdminRepository::setting(const QString &scope,
                                                                  const QString &key) const
{
    return firstRow(selectRows(*m_core, SettingByKey, {scope.isNull() ? u""_s : scope, key},
                               settingFromRow));
}

Pm::Result<std::vector<SettingRecord>> AdminRepository::settings(const QString &scope) const
{
    return selectRows(*m_core, SettingsOfScope, {scope.isNull() ? u""_s : scope}, settingFromRow);
}

} // namespace Pm::Store
