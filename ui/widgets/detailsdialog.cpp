#include "ui/widgets/detailsdialog.h"

#include "core/store/store.h"
#include "ui/data/storeaccess.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pm::Ui {

namespace {

QString durationText(qint64 ms)
{
    return ms < 10'000 ? TransferDetailsDialog::tr("%1 ms").arg(ms)
                       : TransferDetailsDialog::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

} // namespace

TransferDetailsDialog::TransferDetailsDialog(StoreAccess *access, const QString &transferId,
    const QString &jwsKeysDirectory, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"transferDetails"_s);
    setWindowTitle(tr("Transfer %1").arg(transferId));
    resize(900, 640);

    m_state = new QLabel(tr("Loading…"), this);
    m_state->setObjectName(u"detailsState"_s);
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_state->setAccessibleName(tr("Transfer outcome"));

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"detailsTabs"_s);
    m_tabs->setAccessibleName(tr("Transfer details"));
    const QStringList titles = { tr("&Details"), tr("T&erms"), tr("&Parties") };
    for (int i = 0; i < 3; ++i) {
        auto *page = new QWidget;
        auto *outer = new QVBoxLayout(page);
        m_forms[i] = new QFormLayout;
        outer->addLayout(m_forms[i]);
        outer->addStretch(1);
        auto *copy = new QPushButton(tr("&Copy"), page);
        copy->setObjectName(u"copyTab%1"_s.arg(i));
        copy->setAccessibleName(tr("Copy the %1 tab").arg(QString(titles[i]).remove(u'&')));
        copy->setAutoDefault(false);
        connect(copy, &QPushButton::clicked, this,
            [this, i] { QGuiApplication::clipboard()->setText(tabText(i)); });
        outer->addWidget(copy, 0, Qt::AlignRight);
        auto *scroll = new QScrollArea;
        scroll->setAccessibleName(QString(titles[i]).remove(u'&'));
        scroll->setWidget(page);
        scroll->setWidgetResizable(true);
        m_tabs->addTab(scroll, titles[i]);
    }

    // Technical: ids and ILP, then the messages.
    auto *technical = new QWidget;
    m_ids = new QPlainTextEdit(technical);
    m_ids->setObjectName(u"technicalIds"_s);
    m_ids->setReadOnly(true);
    m_ids->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ids->setAccessibleName(tr("Identifiers and decoded ILP packet"));
    m_ids->setTabChangesFocus(true);
    m_messageList = new QListWidget(technical);
    m_messageList->setObjectName(u"messageList"_s);
    m_messageList->setAccessibleName(tr("FSPIOP messages"));
    m_messageText = new QPlainTextEdit(technical);
    m_messageText->setObjectName(u"messageText"_s);
    m_messageText->setReadOnly(true);
    m_messageText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_messageText->setAccessibleName(tr("Message headers and body"));
    m_messageText->setTabChangesFocus(true);
    auto *copyIds = new QPushButton(tr("Copy &identifiers"), technical);
    copyIds->setAccessibleName(tr("Copy the identifiers and ILP packet"));
    copyIds->setAutoDefault(false);
    connect(copyIds, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(m_ids->toPlainText()); });
    auto *copyMessage = new QPushButton(tr("Copy &message"), technical);
    copyMessage->setAccessibleName(tr("Copy the selected message"));
    copyMessage->setAutoDefault(false);
    connect(copyMessage, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(m_messageText->toPlainText()); });
    connect(
        m_messageList, &QListWidget::currentRowChanged, this, &TransferDetailsDialog::showMessage);

    auto *messages = new QSplitter(Qt::Horizontal, technical);
    messages->addWidget(m_messageList);
    messages->addWidget(m_messageText);
    messages->setStretchFactor(1, 3);
    auto *techLayout = new QVBoxLayout(technical);
    techLayout->addWidget(new QLabel(tr("Identifiers and ILP packet"), technical));
    techLayout->addWidget(m_ids, 2);
    techLayout->addWidget(copyIds, 0, Qt::AlignRight);
    techLayout->addWidget(new QLabel(tr("FSPIOP messages"), technical));
    techLayout->addWidget(messages, 3);
    techLayout->addWidget(copyMessage, 0, Qt::AlignRight);
    m_tabs->addTab(technical, tr("&Technical"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_state);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
    m_copyText.resize(3);

    if (!access) {
        m_state->setText(tr("No store is open."));
        return;
    }
    access->run(
        this,
        [transferId, jwsKeysDirectory](Store::Store &store) {
            return loadTransferDetails(store, transferId, jwsKeysDirectory);
        },
        [this](const TransferDetails &details) { display(details); });
}

QString TransferDetailsDialog::tabText(int index) const
{
    if (index == 3)
        return m_ids->toPlainText();
    return m_copyText.value(index).join(u'\n');
}

void TransferDetailsDialog::display(const TransferDetails &details)
{
    m_details = details;
    m_loaded = true;
    if (!details.transfer) {
        m_state->setText(details.error);
        emit loaded();
        return;
    }
    const Store::TransferRecord &t = *details.transfer;

    auto add = [this](int tab, const QString &label, const QString &value) {
        auto *field = new QLineEdit(value);
        field->setReadOnly(true);
        field->setAccessibleName(label);
        field->setObjectName(u"field_%1_%2"_s.arg(tab).arg(m_forms[tab]->rowCount()));
        field->setCursorPosition(0);
        auto *labelWidget = new QLabel(label + u':');
        labelWidget->setBuddy(field);
        m_forms[tab]->addRow(labelWidget, field);
        m_copyText[tab].append(label + u": "_s + value);
    };

    QString outcome = tr("%1 — %2 transfer, state %3")
                          .arg(statusText(t.status), directionText(t.direction), t.state);
    if (t.status == Store::TransferStatus::Failed || t.lastErrorCode) {
        outcome += u"\n"_s
            + tr("Error %1: %2")
                  .arg(t.lastErrorCode ? QString::number(*t.lastErrorCode) : tr("(no code)"),
                      t.lastErrorDescription.isEmpty() && t.lastErrorCode
                          ? fspiopErrorName(*t.lastErrorCode)
                          : t.lastErrorDescription);
        m_state->setStyleSheet(u"color: #b02020"_s);
    }
    m_state->setText(outcome);

    // Details.
    add(0, tr("Transfer ID"), t.id);
    add(0, tr("Direction"), directionText(t.direction));
    add(0, tr("Status"), statusText(t.status));
    add(0, tr("State"), t.state);
    add(0, tr("Initiated"), timeText(t.initiatedAt));
    add(0, tr("Last update"), timeText(t.updatedAt));
    add(0, tr("Completed"), t.completedAt ? timeText(*t.completedAt) : QString());
    if (t.completedAt)
        add(0, tr("End-to-end time"), durationText(*t.completedAt - t.initiatedAt));
    add(0, tr("Home transaction ID"), t.homeTransactionId);
    add(0, tr("Error code"), t.lastErrorCode ? QString::number(*t.lastErrorCode) : QString());
    add(0, tr("Error description"),
        t.lastErrorDescription.isEmpty() && t.lastErrorCode ? fspiopErrorName(*t.lastErrorCode)
                                                            : t.lastErrorDescription);

    // Terms.
    add(1, tr("Amount type"), t.amountType);
    add(1, tr("Amount"), t.amount.isEmpty() ? QString() : t.amount + u' ' + t.currency);
    add(1, tr("Transfer amount"),
        t.transferAmount.isEmpty() ? QString() : t.transferAmount + u' ' + t.currency);
    add(1, tr("Payee receive amount"),
        t.payeeReceiveAmount.isEmpty() ? QString() : t.payeeReceiveAmount + u' ' + t.currency);
    add(1, tr("Payee FSP fee"),
        t.payeeFspFee.isEmpty() ? QString() : t.payeeFspFee + u' ' + t.currency);
    add(1, tr("Payee FSP commission"),
        t.payeeFspCommission.isEmpty() ? QString() : t.payeeFspCommission + u' ' + t.currency);
    add(1, tr("Expiry"), t.expiration);

    // Parties.
    const std::pair<QString, const Store::PartyRecord *> parties[]
        = { { tr("Payer"), &t.payer }, { tr("Payee"), &t.payee } };
    for (const auto &[role, party] : parties) {
        add(2, tr("%1 name").arg(role), party->displayName);
        add(2, tr("%1 ID type").arg(role), party->idType);
        add(2, tr("%1 ID").arg(role), party->idValue);
        add(2, tr("%1 sub-ID").arg(role), party->subId);
        add(2, tr("%1 institution").arg(role), party->fspId);
    }

    // Technical.
    QStringList ids;
    ids << tr("Transfer ID: %1").arg(t.id) << tr("Quote ID: %1").arg(t.quoteId)
        << tr("Transaction ID: %1").arg(t.transactionId)
        << tr("Home transaction ID: %1").arg(t.homeTransactionId)
        << tr("ILP condition: %1").arg(t.ilpCondition)
        << tr("ILP fulfilment: %1").arg(t.ilpFulfilment) << tr("ILP packet: %1").arg(t.ilpPacket)
        << QString() << tr("Decoded ILP packet:") << details.ilpDecoded;
    if (!details.steps.empty()) {
        ids << QString() << tr("Steps:");
        for (const Store::StepRecord &s : details.steps)
            ids << u"  %1  %2  %3  %4"_s.arg(
                timeText(s.at), s.step, Store::storedName(s.status), s.detail);
    }
    m_ids->setPlainText(ids.join(u'\n'));

    m_messageList->clear();
    for (const MessageView &view : details.messages) {
        const Store::MessageRecord &m = view.message;
        QString line
            = u"%1  %2  "_s.arg(QDateTime::fromMSecsSinceEpoch(m.at).toString(u"HH:mm:ss.zzz"_s),
                messageDirectionText(m.direction));
        if (m.kind == Store::MessageKind::Response)
            line += tr("HTTP %1 response").arg(m.status.value_or(0));
        else
            line += m.method + u' ' + m.url;
        m_messageList->addItem(line);
    }
    if (details.messages.empty())
        m_messageText->setPlainText(tr("No FSPIOP messages are recorded for this transfer."));
    else
        m_messageList->setCurrentRow(0);
    emit loaded();
}

void TransferDetailsDialog::showMessage(int row)
{
    if (row < 0 || row >= int(m_details.messages.size()))
        return;
    const MessageView &view = m_details.messages[size_t(row)];
    const Store::MessageRecord &m = view.message;
    QStringList lines;
    lines << tr("Direction: %1").arg(messageDirectionText(m.direction));
    lines << tr("Time: %1").arg(isoTime(m.at));
    if (m.kind == Store::MessageKind::Response)
        lines << tr("HTTP status: %1").arg(m.status.value_or(0));
    else
        lines << u"%1 %2"_s.arg(m.method, m.url);
    lines << tr("JWS: %1").arg(view.jwsResult);
    lines << QString() << tr("Headers:");
    for (const auto &[name, value] : m.headers)
        lines << QString::fromUtf8(name) + u": "_s + QString::fromUtf8(value);
    lines << QString() << tr("Body:") << view.prettyBody;
    m_messageText->setPlainText(lines.join(u'\n'));
}

} // namespace Pm::Ui
