#include "core/fspiop/errors.h"

#include "core/fspiop/json.h"

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace Pm::Fspiop {

namespace {

using Category = ErrorCategory;
using Json = nlohmann::ordered_json;

// Facts from sdk-standard-components 19.19.1 src/lib/errors/index.js (API Definition §7.6):
// code, identifier, standard description, and the HTTP status where the table gives one.
const std::array<ErrorDefinition, 85> kCatalogue{{
    {1000, Category::Communication, "COMMUNICATION_ERROR", u"Communication error"_s, {}},
    {1001, Category::Communication, "DESTINATION_COMMUNICATION_ERROR", u"Destination communication error"_s, {}},

    {2000, Category::Server, "SERVER_ERROR", u"Generic server error"_s, {}},
    {2001, Category::Server, "INTERNAL_SERVER_ERROR", u"Internal server error"_s, {}},
    {2002, Category::Server, "NOT_IMPLEMENTED", u"Not implemented"_s, 501},
    {2003, Category::Server, "SERVICE_CURRENTLY_UNAVAILABLE", u"Service currently unavailable"_s, 503},
    {2004, Category::Server, "SERVER_TIMED_OUT", u"Server timed out"_s, {}},
    {2005, Category::Server, "SERVER_BUSY", u"Server busy"_s, {}},

    {3000, Category::GenericClient, "CLIENT_ERROR", u"Generic client error"_s, 400},
    {3001, Category::GenericClient, "UNACCEPTABLE_VERSION", u"Unacceptable version requested"_s, 406},
    {3002, Category::GenericClient, "UNKNOWN_URI", u"Unknown URI"_s, 404},
    {3003, Category::GenericClient, "ADD_PARTY_INFO_ERROR", u"Add Party information error"_s, {}},
    {3040, Category::GenericClient, "DELETE_PARTY_INFO_ERROR", u"Delete Party information error"_s, {}},

    {3100, Category::ClientValidation, "VALIDATION_ERROR", u"Generic validation error"_s, 400},
    {3101, Category::ClientValidation, "MALFORMED_SYNTAX", u"Malformed syntax"_s, 400},
    {3102, Category::ClientValidation, "MISSING_ELEMENT", u"Missing mandatory element"_s, 400},
    {3103, Category::ClientValidation, "TOO_MANY_ELEMENTS", u"Too many elements"_s, 400},
    {3104, Category::ClientValidation, "TOO_LARGE_PAYLOAD", u"Too large payload"_s, 400},
    {3105, Category::ClientValidation, "INVALID_SIGNATURE", u"Invalid signature"_s, 400},
    {3106, Category::ClientValidation, "MODIFIED_REQUEST", u"Modified request"_s, 400},
    {3107, Category::ClientValidation, "MISSING_MANDATORY_EXTENSION", u"Missing mandatory extension parameter"_s, 400},

    {3200, Category::Identifier, "ID_NOT_FOUND", u"Generic ID not found"_s, {}},
    {3201, Category::Identifier, "DESTINATION_FSP_ERROR", u"Destination FSP Error"_s, {}},
    {3202, Category::Identifier, "PAYER_FSP_ID_NOT_FOUND", u"Payer FSP ID not found"_s, {}},
    {3203, Category::Identifier, "PAYEE_FSP_ID_NOT_FOUND", u"Payee FSP ID not found"_s, {}},
    {3204, Category::Identifier, "PARTY_NOT_FOUND", u"Party not found"_s, {}},
    {3205, Category::Identifier, "QUOTE_ID_NOT_FOUND", u"Quote ID not found"_s, {}},
    {3206, Category::Identifier, "TXN_REQUEST_ID_NOT_FOUND", u"Transaction request ID not found"_s, {}},
    {3207, Category::Identifier, "TXN_ID_NOT_FOUND", u"Transaction ID not found"_s, {}},
    {3208, Category::Identifier, "TRANSFER_ID_NOT_FOUND", u"Transfer ID not found"_s, {}},
    {3209, Category::Identifier, "BULK_QUOTE_ID_NOT_FOUND", u"Bulk quote ID not found"_s, {}},
    {3210, Category::Identifier, "BULK_TRANSFER_ID_NOT_FOUND", u"Bulk transfer ID not found"_s, {}},

    {3300, Category::Expired, "EXPIRED_ERROR", u"Generic expired error"_s, {}},
    {3301, Category::Expired, "TXN_REQUEST_EXPIRED", u"Transaction request expired"_s, {}},
    {3302, Category::Expired, "QUOTE_EXPIRED", u"Quote expired"_s, {}},
    {3303, Category::Expired, "TRANSFER_EXPIRED", u"Transfer expired"_s, {}},

    {4000, Category::GenericPayer, "PAYER_ERROR", u"Generic Payer error"_s, {}},
    {4001, Category::GenericPayer, "PAYER_FSP_INSUFFICIENT_LIQUIDITY", u"Payer FSP insufficient liquidity"_s, {}},
    {4100, Category::PayerRejection, "PAYER_REJECTION", u"Generic Payer rejection"_s, {}},
    {4101, Category::PayerRejection, "PAYER_REJECTED_TXN_REQUEST", u"Payer rejected transaction request"_s, {}},
    {4102, Category::PayerRejection, "PAYER_FSP_UNSUPPORTED_TXN_TYPE", u"Payer FSP unsupported transaction type"_s, {}},
    {4103, Category::PayerRejection, "PAYER_UNSUPPORTED_CURRENCY", u"Payer unsupported currency"_s, {}},
    {4200, Category::PayerLimit, "PAYER_LIMIT_ERROR", u"Payer limit error"_s, {}},
    {4300, Category::PayerPermission, "PAYER_PERMISSION_ERROR", u"Payer permission error"_s, {}},
    {4400, Category::PayerBlocked, "PAYER_BLOCKED_ERROR", u"Generic Payer blocked error"_s, {}},

    {5000, Category::GenericPayee, "PAYEE_ERROR", u"Generic Payee error"_s, {}},
    {5001, Category::GenericPayee, "PAYEE_FSP_INSUFFICIENT_LIQUIDITY", u"Payee FSP insufficient liquidity"_s, {}},
    {5100, Category::PayeeRejection, "PAYEE_REJECTION", u"Generic Payee rejection"_s, {}},
    {5101, Category::PayeeRejection, "PAYEE_REJECTED_QUOTE", u"Payee rejected quote"_s, {}},
    {5102, Category::PayeeRejection, "PAYEE_FSP_UNSUPPORTED_TXN_TYPE", u"Payee FSP unsupported transaction type"_s, {}},
    {5103, Category::PayeeRejection, "PAYEE_FSP_REJECTED_QUOTE", u"Payee FSP rejected quote"_s, {}},
    {5104, Category::PayeeRejection, "PAYEE_REJECTED_TXN", u"Payee rejected transaction"_s, {}},
    {5105, Category::PayeeRejection, "PAYEE_FSP_REJECTED_TXN", u"Payee FSP rejected transaction"_s, {}},
    {5106, Category::PayeeRejection, "PAYEE_UNSUPPORTED_CURRENCY", u"Payee unsupported currency"_s, {}},
    {5107, Category::PayeeRejection, "PAYEE_IDENTIFIER_NOT_VALID", u"Payee identifier no-longer valid"_s, {}},
    {5200, Category::PayeeLimit, "PAYEE_LIMIT_ERROR", u"Payee limit error"_s, {}},
    {5300, Category::PayeePermission, "PAYEE_PERMISSION_ERROR", u"Payee permission error"_s, {}},
    {5400, Category::PayeeBlocked, "GENERIC_PAYEE_BLOCKED_ERROR", u"Generic Payee blocked error"_s, {}},

    {7000, Category::Thirdparty, "TP_ERROR", u"Generic Thirdparty error"_s, {}},
    {7100, Category::ThirdpartyTransaction, "TP_TRANSACTION_ERROR", u"Generic Thirdparty transaction error"_s, {}},
    {7101, Category::ThirdpartyTransaction, "TP_FSP_TRANSACTION_REQUEST_NOT_VALID", u"Transaction request failed DFSP validation"_s, {}},
    {7102, Category::ThirdpartyTransaction, "TP_FSP_TRANSACTION_UPDATE_FAILED", u"Transaction request PUT update send to PISP failed"_s, {}},
    {7103, Category::ThirdpartyTransaction, "TP_FSP_TRANSACTION_REQUEST_QUOTE_FAILED", u"Transaction request quote send to payee DFSP failed"_s, {}},
    {7104, Category::ThirdpartyTransaction, "TP_FSP_TRANSACTION_REQUEST_AUTHORIZATION_FAILED", u"Transaction request for user authorization send to PISP failed"_s, {}},
    {7105, Category::ThirdpartyTransaction, "TP_FSP_TRANSACTION_AUTHORIZATION_NOT_VALID", u"Authorization received from PISP failed DFSP validation"_s, {}},
    {7106, Category::ThirdpartyTransaction, "TP_FSP_TRANSACTION_AUTHORIZATION_REJECTED_BY_USER", u"DFSP received reject by user authorization, so transaction cancelled"_s, {}},
    {7107, Category::ThirdpartyTransaction, "TP_FSP_TRANSACTION_AUTHORIZATION_UNEXPECTED", u"DFSP received unexpected authorization responseType"_s, {}},
    {7108, Category::ThirdpartyTransaction, "TP_FSP_TRANSACTION_TRANSFER_FAILED", u"Transaction request transfer failed"_s, {}},
    {7109, Category::ThirdpartyTransaction, "TP_FSP_TRANSACTION_NOTIFICATION_FAILED", u"Transaction request notification failed"_s, {}},
    {7200, Category::ThirdpartyAccountLinking, "TP_ACCOUNT_LINKING_ERROR", u"Generic Thirdparty account linking error"_s, {}},
    {7201, Category::ThirdpartyAccountLinking, "TP_NO_SERVICE_PROVIDERS_FOUND", u"No thirdparty enabled FSP found"_s, {}},
    {7202, Category::ThirdpartyAccountLinking, "TP_NO_ACCOUNTS_FOUND", u"No accounts found for generic ID"_s, {}},
    {7203, Category::ThirdpartyAccountLinking, "TP_NO_SUPPORTED_AUTH_CHANNELS", u"FSP does not support any requested authentication channels"_s, {}},
    {7204, Category::ThirdpartyAccountLinking, "TP_NO_SUPPORTED_SCOPE_ACTIONS", u"FSP does not support any requested scope actions"_s, {}},
    {7205, Category::ThirdpartyAccountLinking, "TP_OTP_VALIDATION_ERROR", u"OTP failed validation"_s, {}},
    {7206, Category::ThirdpartyAccountLinking, "TP_FSP_OTP_VALIDATION_ERROR", u"FSP failed to validate OTP"_s, {}},
    {7207, Category::ThirdpartyAccountLinking, "TP_FSP_CONSENT_SCOPES_ERROR", u"FSP failed retrieve scopes for consent request"_s, {}},
    {7208, Category::ThirdpartyAccountLinking, "TP_CONSENT_REQ_VALIDATION_ERROR", u"FSP failed to validate consent request"_s, {}},
    {7209, Category::ThirdpartyAccountLinking, "TP_FSP_CONSENT_REQ_NO_SCOPES", u"FSP does not find scopes suitable"_s, {}},
    {7210, Category::ThirdpartyAccountLinking, "TP_NO_TRUSTED_CALLBACK_URI", u"FSP does not trust PISP callback URI"_s, {}},
    {7211, Category::ThirdpartyAccountLinking, "TP_CONSENT_REQ_USER_NOT_ALLOWED", u"FSP does not allow consent requests for specified username"_s, {}},
    {7212, Category::ThirdpartyAccountLinking, "TP_SIGNED_CHALLENGE_MISMATCH", u"Signed challenge does not match derived challenge"_s, {}},
    {7213, Category::ThirdpartyAccountLinking, "TP_CONSENT_INVALID", u"Consent is invalid"_s, {}},
    {7214, Category::ThirdpartyAccountLinking, "TP_FAILED_REG_ACCOUNT_LINKS", u"Failed to register account links with oracle"_s, {}},
    {7300, Category::ThirdpartyAuthService, "TP_AUTH_SERVICE_ERROR", u"Generic Thirdparty auth service error"_s, {}},
}};

qsizetype codePoints(const QString &s)
{
    qsizetype n = 0;
    for (QChar c : s) {
        if (!c.isLowSurrogate())
            ++n;
    }
    return n;
}

// The first `max` code points of `s`.
QString leftCodePoints(const QString &s, qsizetype max)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (!s.at(i).isLowSurrogate() && n++ == max)
            return s.first(i);
    }
    return s;
}

// Cuts a description to the 128 characters ErrorDescription allows, marking the cut.
QString fitDescription(const QString &description)
{
    if (codePoints(description) <= MaxErrorDescriptionLength)
        return description;
    return leftCodePoints(description, MaxErrorDescriptionLength - 3) + u"..."_s;
}

bool isFourDigitCode(int code)
{
    return code >= 1000 && code <= 9999;
}

std::string toStd(const QString &s)
{
    return s.toStdString();
}

QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

std::optional<ErrorCategory> categoryOf(int code)
{
    if (!isFourDigitCode(code))
        return std::nullopt;
    switch (code / 100) {
    case 10: return Category::Communication;
    case 20: return Category::Server;
    case 30: return Category::GenericClient;
    case 31: return Category::ClientValidation;
    case 32: return Category::Identifier;
    case 33: return Category::Expired;
    case 40: return Category::GenericPayer;
    case 41: return Category::PayerRejection;
    case 42: return Category::PayerLimit;
    case 43: return Category::PayerPermission;
    case 44: return Category::PayerBlocked;
    case 50: return Category::GenericPayee;
    case 51: return Category::PayeeRejection;
    case 52: return Category::PayeeLimit;
    case 53: return Category::PayeePermission;
    case 54: return Category::PayeeBlocked;
    case 70: return Category::Thirdparty;
    case 71: return Category::ThirdpartyTransaction;
    case 72: return Category::ThirdpartyAccountLinking;
    case 73: return Category::ThirdpartyAuthService;
    default: return std::nullopt;
    }
}

QString categoryName(ErrorCategory category)
{
    switch (category) {
    case Category::Communication: return u"Communication error"_s;
    case Category::Server: return u"Server error"_s;
    case Category::GenericClient: return u"Generic client error"_s;
    case Category::ClientValidation: return u"Client validation error"_s;
    case Category::Identifier: return u"Identifier error"_s;
    case Category::Expired: return u"Expired error"_s;
    case Category::GenericPayer: return u"Generic payer error"_s;
    case Category::PayerRejection: return u"Payer rejection error"_s;
    case Category::PayerLimit: return u"Payer limit error"_s;
    case Category::PayerPermission: return u"Payer permission error"_s;
    case Category::PayerBlocked: return u"Payer blocked error"_s;
    case Category::GenericPayee: return u"Generic payee error"_s;
    case Category::PayeeRejection: return u"Payee rejection error"_s;
    case Category::PayeeLimit: return u"Payee limit error"_s;
    case Category::PayeePermission: return u"Payee permission error"_s;
    case Category::PayeeBlocked: return u"Payee blocked error"_s;
    case Category::Thirdparty: return u"Generic third-party error"_s;
    case Category::ThirdpartyTransaction: return u"Third-party transaction error"_s;
    case Category::ThirdpartyAccountLinking: return u"Third-party account linking error"_s;
    case Category::ThirdpartyAuthService: return u"Third-party auth service error"_s;
    }
    return {};
}

QString ErrorDefinition::codeText() const
{
    return QString::number(code);
}

int ErrorDefinition::httpStatus() const
{
    return specHttpStatus.value_or(defaultHttpStatus(code));
}

std::span<const ErrorDefinition> errorCatalogue()
{
    return kCatalogue;
}

const ErrorDefinition *findError(int code)
{
    const auto it = std::lower_bound(kCatalogue.begin(), kCatalogue.end(), code,
                                     [](const ErrorDefinition &d, int c) { return d.code < c; });
    return (it != kCatalogue.end() && it->code == code) ? &*it : nullptr;
}

int defaultHttpStatus(int code)
{
    switch (code / 1000) {
    case 3:
    case 4:
    case 5:
    case 7:
        return isFourDigitCode(code) ? 400 : 500;
    default:
        return 500;
    }
}

int httpStatusFor(int code)
{
    if (const ErrorDefinition *definition = findError(code))
        return definition->httpStatus();
    return defaultHttpStatus(code);
}

ErrorDefinition methodNotAllowed()
{
    return {3000, Category::GenericClient, "METHOD_NOT_ALLOWED",
            u"Generic client error - Method Not Allowed"_s, 405};
}

Result<void> validateExtensionList(const ExtensionList &extensions, QStringView field)
{
    if (extensions.isEmpty())
        return fail(3101, field + u": must have 1 to 16 entries, has none"_s);
    if (extensions.size() > MaxExtensions) {
        return fail(3103, field + u": must have 1 to 16 entries, has "_s
                              + QString::number(extensions.size()));
    }
    for (qsizetype i = 0; i < extensions.size(); ++i) {
        const QString at = field + u".extension["_s + QString::number(i) + u']';
        const qsizetype keyLength = codePoints(extensions[i].key);
        if (keyLength < 1 || keyLength > MaxExtensionKeyLength) {
            return fail(3101, at + u".key: must be 1 to 32 characters, is "_s
                                  + QString::number(keyLength));
        }
        const qsizetype valueLength = codePoints(extensions[i].value);
        if (valueLength < 1 || valueLength > MaxExtensionValueLength) {
            return fail(3101, at + u".value: must be 1 to 128 characters, is "_s
                                  + QString::number(valueLength));
        }
    }
    return {};
}

nlohmann::ordered_json extensionListJson(const ExtensionList &extensions)
{
    Json list = Json::array();
    for (const Extension &e : extensions)
        list.push_back(Json{{"key", toStd(e.key)}, {"value", toStd(e.value)}});
    return Json{{"extension", std::move(list)}};
}

Result<ExtensionList> parseExtensionList(const nlohmann::ordered_json &json, QStringView field)
{
    if (!json.is_object())
        return fail(3101, field + u": must be an object"_s);
    const auto it = json.find("extension");
    if (it == json.end())
        return fail(3102, field + u".extension: is required"_s);
    if (!it->is_array())
        return fail(3101, field + u".extension: must be an array"_s);
    ExtensionList extensions;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const Json &item = (*it)[i];
        const QString at = field + u".extension["_s + QString::number(i) + u']';
        if (!item.is_object())
            return fail(3101, at + u": must be an object"_s);
        Extension extension;
        for (const char *member : {"key", "value"}) {
            const auto m = item.find(member);
            if (m == item.end())
                return fail(3102, at + u'.' + QLatin1StringView(member) + u": is required"_s);
            if (!m->is_string())
                return fail(3101, at + u'.' + QLatin1StringView(member) + u": must be a string"_s);
            (std::string_view(member) == "key" ? extension.key : extension.value) =
                fromStd(m->get_ref<const std::string &>());
        }
        extensions.append(std::move(extension));
    }
    if (auto valid = validateExtensionList(extensions, field); !valid)
        return std::unexpected(valid.error());
    return extensions;
}

Result<nlohmann::ordered_json> errorInformation(int code, const QString &description,
                                                const ExtensionList &extensions)
{
    if (!isFourDigitCode(code)) {
        return fail(3101, u"errorInformation.errorCode: "_s + QString::number(code)
                              + u" is not a four-digit FSPIOP error code"_s);
    }
    QString text = description;
    if (text.trimmed().isEmpty()) {
        const ErrorDefinition *definition = findError(code);
        text = definition ? definition->description
                          : categoryOf(code) ? categoryName(*categoryOf(code)) : u"Error"_s;
    }
    Json info{{"errorCode", toStd(QString::number(code))},
              {"errorDescription", toStd(fitDescription(text))}};
    if (!extensions.isEmpty()) {
        if (auto valid = validateExtensionList(extensions, u"errorInformation.extensionList"); !valid)
            return std::unexpected(valid.error());
        info["extensionList"] = extensionListJson(extensions);
    }
    return info;
}

Result<nlohmann::ordered_json> errorInformationResponse(int code, const QString &description,
                                                        const ExtensionList &extensions)
{
    auto info = errorInformation(code, description, extensions);
    if (!info)
        return std::unexpected(info.error());
    return Json{{"errorInformation", std::move(*info)}};
}

nlohmann::ordered_json errorInformationResponse(const Pm::Error &error, const ExtensionList &extensions)
{
    const int code = isFourDigitCode(error.code) ? error.code : ErrorCodes::InternalServerError;
    const bool extensionsValid = extensions.isEmpty() || validateExtensionList(extensions).has_value();
    auto body = errorInformationResponse(code, error.message, extensionsValid ? extensions : ExtensionList{});
    Q_ASSERT(body.has_value()); // the code is four-digit and the extensions were checked
    return body.value_or(Json::object());
}

Pm::Error ErrorInformation::toError() const
{
    return Pm::Error{code, description, {}};
}

Result<ErrorInformation> parseErrorInformation(const nlohmann::ordered_json &body)
{
    if (!body.is_object())
        return fail(3101, u"body: must be a JSON object"_s);
    const Json *info = &body;
    QString at = u"errorInformation"_s;
    if (const auto it = body.find("errorInformation"); it != body.end()) {
        if (!it->is_object())
            return fail(3101, at + u": must be an object"_s);
        info = &*it;
    } else if (!body.contains("errorCode")) {
        return fail(3102, at + u": is required"_s);
    }

    ErrorInformation result;
    const auto code = info->find("errorCode");
    if (code == info->end())
        return fail(3102, at + u".errorCode: is required"_s);
    if (!code->is_string())
        return fail(3101, at + u".errorCode: must be a string of four digits"_s);
    const QString codeText = fromStd(code->get_ref<const std::string &>());
    bool ok = false;
    result.code = codeText.toInt(&ok);
    if (codeText.size() != 4 || !ok || !isFourDigitCode(result.code)
        || !std::all_of(codeText.begin(), codeText.end(), [](QChar c) { return c.isDigit(); })) {
        return fail(3101, at + u".errorCode: \""_s + codeText + u"\" is not four digits 1000-9999"_s);
    }

    const auto description = info->find("errorDescription");
    if (description == info->end())
        return fail(3102, at + u".errorDescription: is required"_s);
    if (!description->is_string())
        return fail(3101, at + u".errorDescription: must be a string"_s);
    result.description = fromStd(description->get_ref<const std::string &>());

    if (const auto list = info->find("extensionList"); list != info->end()) {
        const QString field = at + u".extensionList"_s;
        auto extensions = parseExtensionList(*list, field);
        if (!extensions)
            return std::unexpected(extensions.error());
        result.extensions = std::move(*extensions);
    }
    return result;
}

Result<ErrorInformation> parseErrorInformation(QByteArrayView body)
{
    auto json = parseJson(body); // depth-limited, never throws
    if (!json)
        return fail(3101, u"body: "_s + json.error().message);
    return parseErrorInformation(*json);
}

} // namespace Pm::Fspiop
