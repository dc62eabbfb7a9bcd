#pragma once

// Small JSON helpers shared by the connector's sources (internal; not part of the public API).

#include "core/fspiop/json.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <string>

namespace Pm::Connector::Internal {

using Json = Pm::Fspiop::Json;

/** QString → UTF-8 std::string for JSON values. */
inline std::string s(const QString &text)
{
    return text.toStdString();
}

/** The string member `key` of `object`, or a null QString when absent or not a string. */
inline QString str(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

/** The member `key` of `object` if it exists and is an object, else nullptr. */
inline const Json *obj(const Json &object, const char *key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_object())
        return nullptr;
    return &*it;
}

/** Copies `from[key]` into `to[key]` when present and not null. */
inline void copyIf(Json &to, const Json &from, const char *key, const char *toKey = nullptr)
{
    if (!from.is_object())
        return;
    const auto it = from.find(key);
    if (it != from.end() && !it->is_null())
        to[toKey ? toKey : key] = *it;
}

/** Sets `to[key]` to `value` when the string is not empty. */
inline void setIf(Json &to, const char *key, const QString &value)
{
    if (!value.isEmpty())
        to[key] = s(value);
}

/** Compact serialisation in insertion order (what the connector sends). */
inline QByteArray bytes(const Json &value)
{
    return Pm::Fspiop::serializeJson(value);
}

/** FSPIOP extensionList {extension:[...]} → the flat array of the backend API. */
inline Json flattenExtensions(const Json &extensionList)
{
    if (extensionList.is_object()) {
        const auto it = extensionList.find("extension");
        if (it != extensionList.end() && it->is_array())
            return *it;
    }
    return Json::array();
}

/** Flat backend array → FSPIOP {extension:[...]}, or nullopt when empty or not an array. */
inline std::optional<Json> nestExtensions(const Json &array)
{
    if (!array.is_array() || array.empty())
        return std::nullopt;
    Json out = Json::object();
    out["extension"] = array;
    return out;
}

/**
 * A party in the backend/outbound API's flat form ({idType, idValue, idSubValue, firstName, ...})
 * → an FSPIOP Party with `fspId` (omitted when empty).
 */
inline Json internalPartyToFspiop(const Json &p, const QString &fspId)
{
    Json info = Json::object();
    copyIf(info, p, "idType", "partyIdType");
    copyIf(info, p, "idValue", "partyIdentifier");
    copyIf(info, p, "idSubValue", "partySubIdOrType");
    if (!fspId.isEmpty())
        info["fspId"] = s(fspId);
    if (p.contains("extensionList")) {
        if (auto nested = nestExtensions(p["extensionList"]))
            info["extensionList"] = *nested;
    }
    Json party = Json::object();
    party["partyIdInfo"] = info;
    Json name = Json::object();
    copyIf(name, p, "firstName");
    copyIf(name, p, "middleName");
    copyIf(name, p, "lastName");
    Json personal = Json::object();
    if (!name.empty())
        personal["complexName"] = name;
    copyIf(personal, p, "dateOfBirth");
    if (!personal.empty())
        party["personalInfo"] = personal;
    copyIf(party, p, "displayName", "name");
    copyIf(party, p, "merchantClassificationCode");
    return party;
}

} // namespace Pm::Connector::Internal
