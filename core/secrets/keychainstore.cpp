#include "core/secrets/keychainstore.h"

#include <QEventLoop>
#include <QPointer>
#include <QTimer>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace Pm::Secrets {

namespace {

enum class Outcome { Done, NotFound, Unavailable, Denied, Failed, TimedOut };

struct JobResult
{
    Outcome outcome = Outcome::Failed;
    QString text; // QtKeychain's errorString()
};

/**
 * Starts `job` and waits for it on a local event loop, at most `timeoutMs`. On a timeout the job
 * is left to finish on its own (auto-delete), since QtKeychain's backends call back into it.
 */
JobResult runJob(std::unique_ptr<QKeychain::Job> job, int timeoutMs, QByteArray *data = nullptr)
{
    job->setAutoDelete(false);
    job->setInsecureFallback(false);
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job.get(), &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (!finished) {
        QObject::disconnect(job.get(), nullptr, &loop, nullptr);
        QKeychain::Job *orphan = job.release();
        QObject::connect(orphan, &QKeychain::Job::finished, orphan, &QObject::deleteLater);
        return { Outcome::TimedOut, {} };
    }
    JobResult result;
    result.text = job->errorString();
    switch (job->error()) {
    case QKeychain::NoError:
        result.outcome = Outcome::Done;
        if (data) {
            if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job.get()))
                *data = read->binaryData();
        }
        break;
    case QKeychain::EntryNotFound:
        result.outcome = Outcome::NotFound;
        break;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        result.outcome = Outcome::Denied;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        // 0.13 reports a missing D-Bus session, a missing Secret Service or a missing collection
        // as OtherError with the backend's text.
        result.outcome = Outcome::Unavailable;
        break;
    case QKeychain::CouldNotDeleteEntry:
        result.outcome = Outcome::Failed;
        break;
    }
    return result;
}

} // namespace

QString keychainUnavailableMessage()
{
    return u"No OS keychain service is available. Payment Manager never stores keys in plain "
           "text: start a Secret Service provider (GNOME Keyring or KWallet) in this session, "
           "or choose the passphrase-encrypted file store (secret store 'encrypted-file' with a "
           "passphrase)"_s;
}

KeychainStore::KeychainStore(QString service, int timeoutMs)
    : m_service(std::move(service))
    , m_timeoutMs(timeoutMs)
{ }

QString KeychainStore::description() const
{
    return u"OS keychain (service '%1')"_s.arg(m_service);
}

static Error toError(const JobResult &result, const QString &action, int timeoutMs)
{
    switch (result.outcome) {
    case Outcome::Unavailable:
        return Error { 0, keychainUnavailableMessage(), result.text };
    case Outcome::Denied:
        return Error { 0, u"The OS keychain refused to %1 (access denied)"_s.arg(action),
            result.text };
    case Outcome::TimedOut:
        return Error { 0,
            u"The OS keychain did not answer within %1 s while trying to %2 (is it "
            "locked and waiting for a password prompt?)"_s.arg(timeoutMs / 1000)
                .arg(action),
            {} };
    case Outcome::Done:
    case Outcome::NotFound:
    case Outcome::Failed:
        break;
    }
    return Error { 0, u"The OS keychain could not %1"_s.arg(action), result.text };
}

Result<void> KeychainStore::checkAvailable()
{
    // A read is not enough: with a Secret Service but no default collection (gnome-keyring never
    // unlocked), lookups answer "not found" while every write fails. Write a probe entry and
    // remove it again.
    const QString probe = u"pm-keychain-probe"_s;
    auto job = std::make_unique<QKeychain::WritePasswordJob>(m_service);
    job->setKey(probe);
    job->setBinaryData(QByteArrayLiteral("probe"));
    const JobResult result = runJob(std::move(job), m_timeoutMs);
    if (result.outcome != Outcome::Done)
        return std::unexpected(toError(result, u"store a probe entry"_s, m_timeoutMs));
    return remove(probe);
}

Result<void> KeychainStore::write(const QString &name, const QByteArray &secret)
{
    if (auto ok = validateSecretName(name); !ok)
        return ok;
    auto job = std::make_unique<QKeychain::WritePasswordJob>(m_service);
    job->setKey(name);
    job->setBinaryData(secret);
    const JobResult result = runJob(std::move(job), m_timeoutMs);
    if (result.outcome == Outcome::Done)
        return {};
    return std::unexpected(toError(result, u"store the secret '%1'"_s.arg(name), m_timeoutMs));
}

Result<std::optional<QByteArray>> KeychainStore::read(const QString &name)
{
    if (auto ok = validateSecretName(name); !ok)
        return std::unexpected(ok.error());
    auto job = std::make_unique<QKeychain::ReadPasswordJob>(m_service);
    job->setKey(name);
    QByteArray data;
    const JobResult result = runJob(std::move(job), m_timeoutMs, &data);
    if (result.outcome == Outcome::Done)
        return std::optional<QByteArray>(std::move(data));
    if (result.outcome == Outcome::NotFound)
        return std::optional<QByteArray>();
    return std::unexpected(toError(result, u"read the secret '%1'"_s.arg(name), m_timeoutMs));
}

Result<void> KeychainStore::remove(const QString &name)
{
    if (auto ok = validateSecretName(name); !ok)
        return ok;
    auto job = std::make_unique<QKeychain::DeletePasswordJob>(m_service);
    job->setKey(name);
    const JobResult result = runJob(std::move(job), m_timeoutMs);
    if (result.outcome == Outcome::Done || result.outcome == Outcome::NotFound)
        return {};
    return std::unexpected(toError(result, u"remove the secret '%1'"_s.arg(name), m_timeoutMs));
}

} // namespace Pm::Secrets
