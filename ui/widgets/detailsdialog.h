#pragma once

#include "ui/data/portaldata.h"

#include <QDialog>

class QFormLayout;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;

namespace Pm::Ui {

class StoreAccess;

/**
 * One transfer in full: Details, Terms, Parties and Technical tabs (every id, every FSPIOP message
 * with headers and pretty-printed body and its JWS verification, the decoded ILP packet), the error
 * with its FSPIOP code and description, copy buttons. Loads on the store's worker.
 */
class TransferDetailsDialog : public QDialog
{
    Q_OBJECT

public:
    /** `jwsKeysDirectory`: where peers' public keys (<fspId>.pem) are, or empty. */
    TransferDetailsDialog(StoreAccess *access, const QString &transferId,
        const QString &jwsKeysDirectory, QWidget *parent = nullptr);

    /** True once the transfer has been loaded (or failed to load). */
    bool isLoaded() const { return m_loaded; }
    const TransferDetails &details() const { return m_details; }
    QTabWidget *tabs() const { return m_tabs; }
    /** The text the Copy button of tab `index` copies. */
    QString tabText(int index) const;

signals:
    void loaded();

private:
    void display(const TransferDetails &details);
    void showMessage(int row);

    TransferDetails m_details;
    bool m_loaded = false;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_state = nullptr;
    QFormLayout *m_forms[3] = {};
    QList<QStringList> m_copyText; ///< per tab: "label: value" lines
    QListWidget *m_messageList = nullptr;
    QPlainTextEdit *m_messageText = nullptr;
    QPlainTextEdit *m_ids = nullptr;
};

} // namespace Pm::Ui
