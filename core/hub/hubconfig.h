#pragma once

#include "core/base/result.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Pm::Hub {

/** One DFSP registered at the hub. */
struct ParticipantConfig
{
    QString fspId; ///< FSPIOP-Source / FSPIOP-Destination name
    QUrl endpoint; ///< base URL of its FSPIOP server; every request and callback goes there
    QStringList currencies; ///< ISO 4217 codes it may send and receive
    /** Its JWS public key (PEM). Empty: its messages are passed on without a signature check. */
    QByteArray jwsPublicKeyPem;
    /** Net debit cap per currency as an FSPIOP Amount ("1000.5"); a currency without one has no
     * limit. */
    QHash<QString, QString> netDebitCap;
};

/** One row of the oracle: a party identifier and the DFSP that holds it. */
struct PartyEntry
{
    QString type; ///< partyIdType, e.g. MSISDN
    QString id; ///< partyIdentifier
    QString subId; ///< partySubIdOrType; empty for none
    QString fspId;
};

/** The hub's settings. */
struct HubConfig
{
    /** FSPIOP-Source of the messages the hub writes itself (errors, PATCH, answers from its state).
     */
    QString hubId = QStringLiteral("switch");
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; ///< 0 picks a free port
    /** The hub's JWS private key (PEM). Empty: an RSA 2048 key is generated at start. */
    QByteArray signingKeyPem;
    /**
     * POST, PUT and PATCH from a participant with a key must carry a valid FSPIOP-Signature. A
     * signature that is present is always checked.
     */
    bool requireJws = true;
    /** The same for PUT /parties (the reference SDK signs those only with JWS_SIGN_PUT_PARTIES). */
    bool requireJwsOnPutParties = false;
    /** How long a forwarded request or a callback may take before it counts as failed. */
    int forwardTimeoutMs = 15000;
    QList<ParticipantConfig> participants;
    QList<PartyEntry> parties;
};

/**
 * Reads one participant from its JSON form:
 * `{"fspId", "endpoint", "currencies": [...], "jwsPublicKey": PEM text | "jwsPublicKeyPath": file,
 * "netDebitCap": {"USD": "1000"}}`. Relative paths are resolved against `baseDir`. Fails with one
 * line naming the field (`what` prefixes it, e.g. "participants[1]").
 */
Result<ParticipantConfig> participantFromJson(QByteArrayView json, const QString &baseDir = {},
    const QString &what = QStringLiteral("participant"));

/**
 * Parses a hub configuration file (JSON):
 * `{"hubId", "port", "signingKeyPath", "requireJws", "requireJwsOnPutParties", "forwardTimeoutMs",
 * "participants": [...], "parties": [{"type", "id", "subId"?, "fspId"}]}`; every member is
 * optional. Relative paths are resolved against `baseDir`. Fails with one line naming the field.
 */
Result<HubConfig> parseHubConfig(QByteArrayView json, const QString &baseDir = {});

/** Reads and parses `path` (relative key paths resolve against its directory). */
Result<HubConfig> loadHubConfig(const QString &path);

/** Checks a participant: id, http(s) endpoint, known currencies, caps as Amounts, key PEM. */
Result<void> validateParticipant(const ParticipantConfig &participant);

} // namespace Pm::Hub
