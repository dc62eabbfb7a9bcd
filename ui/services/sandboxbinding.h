#pragma once

#include <QString>

namespace Pm::Services {
class ServiceHost;
enum class EnvironmentState;
} // namespace Pm::Services

namespace Pm::Ui {

class MainWindow;

/**
 * Shows the environment `host` runs (today: the Sandbox) in `window`: its state and traffic in the
 * status bar, its services (hub, our inbound and outbound servers, core connector, core bank, JWS
 * keys, certificates) in the health page, and our connector's store in the portal as soon as the
 * host reports it. Both must outlive the connections (they are made with `window` as context).
 */
void bindEnvironment(Services::ServiceHost &host, MainWindow &window);

/** "running", "failed"... translated. */
QString environmentStateText(Services::EnvironmentState state);

} // namespace Pm::Ui
