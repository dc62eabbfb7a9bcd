#pragma once

#include "core/base/result.h"

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <span>

namespace Pm::Fspiop {

/**
 * The FSPIOP error categories (API Definition §7.6): the first two digits of the code.
 * Scheme-specific codes inside a category keep its category.
 */
enum class ErrorCategory
{
    Communication,             ///< 10xx
    Server,                    ///< 20xx
    GenericClient,             ///< 30xx
    ClientValidation,          ///< 31xx
    Identifier,                ///< 32xx
    Expired,                   ///< 33xx
    GenericPayer,              ///< 40xx
    PayerRejection,            ///< 41xx
    PayerLimit,                ///< 42xx
    PayerPermission,           ///< 43xx
    PayerBlocked,              ///< 44xx
    GenericPayee,              ///< 50xx
    PayeeRejection,            ///< 51xx
    PayeeLimit,                ///< 52xx
    PayeePermission,           ///< 53xx
    PayeeBlocked,              ///< 54xx
    Thirdparty,                ///< 70xx
    ThirdpartyTransaction,     ///< 71xx
    ThirdpartyAccountLinking,  ///< 72xx
    ThirdpartyAuthService,     ///< 73xx
};

/** The category a code falls in, or empty if its first two digits name none. */
std::optional<ErrorCategory> categoryOf(int code);

/** A readable name for a category, e.g. "Client validation error". */
QString categoryName(ErrorCategory category);

/** One entry of the FSPIOP error catalogue. */
struct ErrorDefinition
{
    int code = 0;
    ErrorCategory category = ErrorCategory::Server;
    /** The reference library's identifier, e.g. "MALFORMED_SYNTAX". */
    const char *name = "";
    /** The standard errorDescription, e.g. "Malformed syntax". */
    QString description;
    /**
     * The HTTP status the specification gives for an immediate (synchronous) answer, or empty for
     * errors that the specification only sends in error callbacks.
     */
    std::optional<int> specHttpStatus;

    /** "3101". */
    QString codeText() const;
    /** specHttpStatus, or the default for the category: see defaultHttpStatus(). */
    int httpStatus() const;
};

/** Named codes of the catalogue, for call sites. */
namespace ErrorCodes {
inline constexpr int CommunicationError = 1000;
inline constexpr int DestinationCommunicationError = 1001;
inline constexpr int ServerError = 2000;
inline constexpr int InternalServerError = 2001;
inline constexpr int NotImplemented = 2002;
inline constexpr int ServiceCurrentlyUnavailable = 2003;
inline constexpr int ServerTimedOut = 2004;
inline constexpr int ServerBusy = 2005;
inline constexpr int ClientError = 3000;
inline constexpr int UnacceptableVersion = 3001;
inline constexpr int UnknownUri = 3002;
inline constexpr int AddPartyInfoError = 3003;
inline constexpr int DeletePartyInfoError = 3040;
inline constexpr int ValidationError = 3100;
inline constexpr int MalformedSyntax = 3101;
inline constexpr int MissingElement = 3102;
inline constexpr int TooManyElements = 3103;
inline constexpr int TooLargePayload = 3104;
inline constexpr int InvalidSignature = 3105;
inline constexpr int ModifiedRequest = 3106;
inline constexpr int MissingMandatoryExtension = 3107;
inline constexpr int IdNotFound = 3200;
inline constexpr int DestinationFspError = 3201;
inline constexpr int PayerFspIdNotFound = 3202;
inline constexpr int PayeeFspIdNotFound = 3203;
inline constexpr int PartyNotFound = 3204;
inline constexpr int QuoteIdNotFound = 3205;
inline constexpr int TransactionRequestIdNotFound = 3206;
inline constexpr int TransactionIdNotFound = 3207;
inline constexpr int TransferIdNotFound = 3208;
inline constexpr int BulkQuoteIdNotFound = 3209;
inline constexpr int BulkTransferIdNotFound = 3210;
inline constexpr int ExpiredError = 3300;
inline constexpr int TransactionRequestExpired = 3301;
inline constexpr int QuoteExpired = 3302;
inline constexpr int TransferExpired = 3303;
inline constexpr int PayerError = 4000;
inline constexpr int PayerFspInsufficientLiquidity = 4001;
inline constexpr int PayerRejection = 4100;
inline constexpr int PayerRejectedTransactionRequest = 4101;
inline constexpr int PayerFspUnsupportedTransactionType = 4102;
inline constexpr int PayerUnsupportedCurrency = 4103;
inline constexpr int PayerLimitError = 4200;
inline constexpr int PayerPermissionError = 4300;
inline constexpr int PayerBlockedError = 4400;
inline constexpr int PayeeError = 5000;
inline constexpr int PayeeFspInsufficientLiquidity = 5001;
inline constexpr int PayeeRejection = 5100;
inline constexpr int PayeeRejectedQuote = 5101;
inline constexpr int PayeeFspUnsupportedTransactionType = 5102;
inline constexpr int PayeeFspRejectedQuote = 5103;
inline constexpr int PayeeRejectedTransaction = 5104;
inline constexpr int PayeeFspRejectedTransaction = 5105;
inline constexpr int PayeeUnsupportedCurrency = 5106;
inline constexpr int PayeeIdentifierNotValid = 5107;
inline constexpr int PayeeLimitError = 5200;
inline constexpr int PayeePermissionError = 5300;
inline constexpr int PayeeBlockedError = 5400;
} // namespace ErrorCodes

/**
 * The whole catalogue, ordered by code: every distinct code of the reference library's table
 * (sdk-standard-components `MojaloopApiErrorCodes`), 1000–5400 and the 7xxx third-party codes.
 *
 * 3000 appears once, as "Generic client error" (400). The reference table also lists a 405 variant
 * "Generic client error - Method Not Allowed" under the same code: see methodNotAllowed().
 */
std::span<const ErrorDefinition> errorCatalogue();

/** The catalogue entry for `code`, or nullptr if the code is not in the catalogue. */
const ErrorDefinition *findError(int code);

/**
 * The HTTP status for an immediate answer carrying `code` when the specification gives none:
 * 500 for communication (1xxx) and server (2xxx) errors and for codes outside every category,
 * 400 for client, payer, payee and third-party errors (3xxx, 4xxx, 5xxx, 7xxx).
 */
int defaultHttpStatus(int code);

/** The catalogue's status for `code`, else defaultHttpStatus(code). */
int httpStatusFor(int code);

/** The 405 variant of 3000 that the reference uses for a method the API does not define. */
ErrorDefinition methodNotAllowed();

/** One `{"key": ..., "value": ...}` of an FSPIOP extensionList. */
struct Extension
{
    QString key;   ///< 1 to 32 characters
    QString value; ///< 1 to 128 characters
    friend bool operator==(const Extension &, const Extension &) = default;
};

using ExtensionList = QList<Extension>;

/** Limits of ExtensionList in every FSPIOP version. */
inline constexpr int MaxExtensions = 16;
inline constexpr int MaxExtensionKeyLength = 32;
inline constexpr int MaxExtensionValueLength = 128;
inline constexpr int MaxErrorDescriptionLength = 128;

/**
 * Checks the limits: 1 to 16 entries, keys 1 to 32 characters, values 1 to 128 characters
 * (characters are Unicode code points, as JSON Schema counts them). Fails with 3101 (3103 for
 * more than 16 entries) and a message naming `field`, e.g. "extensionList.extension[2].key: ...".
 */
Result<void> validateExtensionList(const ExtensionList &extensions, QStringView field = u"extensionList");

/** `{"extension": [{"key": ..., "value": ...}, ...]}`; call validateExtensionList() first. */
nlohmann::ordered_json extensionListJson(const ExtensionList &extensions);

/** Reads `{"extension": [...]}`; fails with 3101/3102 naming `field`. */
Result<ExtensionList> parseExtensionList(const nlohmann::ordered_json &json,
                                         QStringView field = u"extensionList");

/**
 * The errorInformation object:
 * `{"errorCode":"NNNN","errorDescription":"...","extensionList":{"extension":[...]}}`.
 *
 * `code` must be a four-digit code (any, so that scheme-specific codes pass); `description`
 * defaults to the catalogue's standard description and is cut to 128 characters; extensionList is
 * left out when `extensions` is empty and must respect validateExtensionList() otherwise.
 */
Result<nlohmann::ordered_json> errorInformation(int code, const QString &description = {},
                                                const ExtensionList &extensions = {});

/** `{"errorInformation": errorInformation(...)}`, the body of PUT .../error callbacks. */
Result<nlohmann::ordered_json> errorInformationResponse(int code, const QString &description = {},
                                                        const ExtensionList &extensions = {});

/**
 * The ErrorInformationResponse for a library failure. `error.code` is used when it is a four-digit
 * code, else 2001 (Internal server error); `error.message` becomes the description (the standard
 * one if empty), cut to 128 characters. Extensions that break the limits are left out.
 */
nlohmann::ordered_json errorInformationResponse(const Pm::Error &error, const ExtensionList &extensions = {});

/** errorInformation as read from a peer's error callback. */
struct ErrorInformation
{
    int code = 0;
    QString description;
    ExtensionList extensions;

    /** The catalogue entry for code, or nullptr for a code outside the catalogue. */
    const ErrorDefinition *definition() const { return findError(code); }
    /** As a library error: {code, description}. */
    Pm::Error toError() const;
};

/**
 * Reads `{"errorInformation":{...}}` (or a bare errorInformation object) from a callback body:
 * errorCode (four digits as a string) and errorDescription are required, extensionList optional.
 * Fails with 3102 for a missing element, 3101 for a wrong one, naming the field.
 */
Result<ErrorInformation> parseErrorInformation(const nlohmann::ordered_json &body);

/** As above from raw bytes; unparseable JSON fails with 3101. */
Result<ErrorInformation> parseErrorInformation(QByteArrayView body);

} // namespace Pm::Fspiop
