#pragma once

#include <QMainWindow>

class QLabel;

namespace Pm::Ui {

/** Payment Manager's main window: the portals live here as pages. */
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

private:
    void createMenus();

    QLabel *m_environmentLabel = nullptr;
};

} // namespace Pm::Ui
