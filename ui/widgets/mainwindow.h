#pragma once

#include "ui/widgets/healthpage.h"

#include <QMainWindow>
#include <memory>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace Pm::Ui {

class FindPage;
class OverviewPage;
class StoreAccess;
class TechnicalPage;

/**
 * Payment Manager's main window: the transfers overview, find, technical dashboard and
 * connection health pages over one store, with the health light and the environment in the
 * status bar. Without a store it shows a welcome page that offers to open one.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /** Shows the portals over `access` (replacing any store shown before). */
    void setStoreAccess(std::unique_ptr<StoreAccess> access);
    StoreAccess *storeAccess() const { return m_access.get(); }

    /** Opens the store file at `path`; false (and a status-bar message) if it cannot be read. */
    bool openStore(const QString &path);

    /** The environment text of the status bar (e.g. "Sandbox: running"). */
    void setEnvironmentText(const QString &text);

    /** Where the peers' JWS public keys (<fspId>.pem) are, for the details dialog. */
    void setJwsKeysDirectory(const QString &directory);
    QString jwsKeysDirectory() const { return m_jwsKeysDirectory; }

    QTabWidget *pages() const { return m_pages; }
    OverviewPage *overviewPage() const { return m_overview; }
    FindPage *findPage() const { return m_find; }
    TechnicalPage *technicalPage() const { return m_technical; }
    HealthPage *healthPage() const { return m_health; }
    QLabel *healthLight() const { return m_healthLight; }

    /** The languages offered: (locale name, native name); "" is the system language. */
    static QList<std::pair<QString, QString>> languages();

public slots:
    /** Opens the details dialog of a transfer (non-modal). */
    void showTransfer(const QString &transferId);

signals:
    /** The language setting changed; the app restarts to apply it. */
    void languageChanged(const QString &localeName);

private:
    void createMenus();
    void chooseStore();
    void chooseKeysDirectory();
    void setLanguage(const QString &localeName);
    void updateStoreHealth();

    std::unique_ptr<StoreAccess> m_access;
    QStackedWidget *m_stack = nullptr;
    QTabWidget *m_pages = nullptr;
    OverviewPage *m_overview = nullptr;
    FindPage *m_find = nullptr;
    TechnicalPage *m_technical = nullptr;
    HealthPage *m_health = nullptr;
    QLabel *m_environmentLabel = nullptr;
    QLabel *m_healthLight = nullptr;
    QString m_jwsKeysDirectory;
};

} // namespace Pm::Ui
