#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace Pm::Net {

/**
 * An ordered list of HTTP header fields. Names compare case-insensitively (RFC 9110 §5.1) and keep
 * the spelling they were added with; values are raw bytes without surrounding whitespace.
 */
class HttpHeaders
{
public:
    using Field = std::pair<QByteArray, QByteArray>;

    HttpHeaders() = default;
    HttpHeaders(std::initializer_list<Field> fields);

    /** Appends a field, keeping any existing fields of the same name. */
    void add(QByteArray name, QByteArray value);
    /** Replaces every field of this name by one field (appended if there was none). */
    void set(QByteArray name, QByteArray value);
    /** Removes every field of this name. */
    void remove(QByteArrayView name);

    /** True if a field of this name exists. */
    bool contains(QByteArrayView name) const;
    /** The first value of this name, or `defaultValue` if there is none. */
    QByteArray value(QByteArrayView name, const QByteArray &defaultValue = {}) const;
    /** Every value of this name, in order. */
    QList<QByteArray> values(QByteArrayView name) const;
    /**
     * True if a comma-separated list header (such as Connection) holds `token`, compared
     * case-insensitively.
     */
    bool hasToken(QByteArrayView name, QByteArrayView token) const;

    qsizetype size() const { return m_fields.size(); }
    bool isEmpty() const { return m_fields.isEmpty(); }
    /** All fields in the order they were added. */
    const QList<Field> &fields() const { return m_fields; }

    friend bool operator==(const HttpHeaders &, const HttpHeaders &) = default;

private:
    QList<Field> m_fields;
};

/** Case-insensitive ASCII comparison of two header names or tokens. */
bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b);

/** The standard reason phrase of an HTTP status code ("Not Found"), or "Unknown". */
QByteArray reasonPhrase(int status);

} // namespace Pm::Net
