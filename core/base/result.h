#pragma once

#include <QString>

#include <expected>

namespace Pm {

/**
 * An expected failure: what went wrong, in one line a person can act on.
 *
 * `code` carries the FSPIOP error code (for example 3101) where one applies, else 0.
 * `message` is the one line shown to the user or sent as errorDescription; it names the field or
 * setting at fault. `detail` holds anything longer (a library's own message, a path).
 */
struct Error
{
    int code = 0;
    QString message;
    QString detail;
};

template<class T>
using Result = std::expected<T, Error>;

/** Shorthand for returning a failure: `return fail(3101, u"..."_s);` */
inline std::unexpected<Error> fail(int code, QString message, QString detail = {})
{
    return std::unexpected<Error>(Error{code, std::move(message), std::move(detail)});
}

/** Joins message and detail for a one-line display: "message: detail". */
QString toOneLine(const Error &error);

} // namespace Pm
