#include "core/fspiop/ecmaregex.h"

#include <QHash>
#include <QStringList>

#include <mutex>
#include <optional>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace Pm::Fspiop::Internal {

namespace {

// ECMAScript WhiteSpace and LineTerminator code points (what \s matches), as class content.
constexpr QStringView kSpaceSet =
    u"\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
constexpr QStringView kWordSet = u"A-Za-z0-9_";
constexpr QStringView kDigitSet = u"0-9";

// General_Category names and aliases ECMAScript accepts, with the PCRE2 10.42 spelling.
const QHash<QString, QString> &generalCategories()
{
    static const QHash<QString, QString> map = [] {
        const std::pair<const char16_t *, const char16_t *> table[] = {
            {u"L", u"L"},   {u"Letter", u"L"},
            {u"LC", u"L&"}, {u"Cased_Letter", u"L&"},
            {u"Lu", u"Lu"}, {u"Uppercase_Letter", u"Lu"},
            {u"Ll", u"Ll"}, {u"Lowercase_Letter", u"Ll"},
            {u"Lt", u"Lt"}, {u"Titlecase_Letter", u"Lt"},
            {u"Lm", u"Lm"}, {u"Modifier_Letter", u"Lm"},
            {u"Lo", u"Lo"}, {u"Other_Letter", u"Lo"},
            {u"M", u"M"},   {u"Mark", u"M"},     {u"Combining_Mark", u"M"},
            {u"Mn", u"Mn"}, {u"Nonspacing_Mark", u"Mn"},
            {u"Mc", u"Mc"}, {u"Spacing_Mark", u"Mc"},
            {u"Me", u"Me"}, {u"Enclosing_Mark", u"Me"},
            {u"N", u"N"},   {u"Number", u"N"},
            {u"Nd", u"Nd"}, {u"Decimal_Number", u"Nd"}, {u"digit", u"Nd"},
            {u"Nl", u"Nl"}, {u"Letter_Number", u"Nl"},
            {u"No", u"No"}, {u"Other_Number", u"No"},
            {u"P", u"P"},   {u"Punctuation", u"P"}, {u"punct", u"P"},
            {u"Pc", u"Pc"}, {u"Connector_Punctuation", u"Pc"},
            {u"Pd", u"Pd"}, {u"Dash_Punctuation", u"Pd"},
            {u"Ps", u"Ps"}, {u"Open_Punctuation", u"Ps"},
            {u"Pe", u"Pe"}, {u"Close_Punctuation", u"Pe"},
            {u"Pi", u"Pi"}, {u"Initial_Punctuation", u"Pi"},
            {u"Pf", u"Pf"}, {u"Final_Punctuation", u"Pf"},
            {u"Po", u"Po"}, {u"Other_Punctuation", u"Po"},
            {u"S", u"S"},   {u"Symbol", u"S"},
            {u"Sm", u"Sm"}, {u"Math_Symbol", u"Sm"},
            {u"Sc", u"Sc"}, {u"Currency_Symbol", u"Sc"},
            {u"Sk", u"Sk"}, {u"Modifier_Symbol", u"Sk"},
            {u"So", u"So"}, {u"Other_Symbol", u"So"},
            {u"Z", u"Z"},   {u"Separator", u"Z"},
            {u"Zs", u"Zs"}, {u"Space_Separator", u"Zs"},
            {u"Zl", u"Zl"}, {u"Line_Separator", u"Zl"},
            {u"Zp", u"Zp"}, {u"Paragraph_Separator", u"Zp"},
            {u"C", u"C"},   {u"Other", u"C"},
            {u"Cc", u"Cc"}, {u"Control", u"Cc"}, {u"cntrl", u"Cc"},
            {u"Cf", u"Cf"}, {u"Format", u"Cf"},
            {u"Cs", u"Cs"}, {u"Surrogate", u"Cs"},
            {u"Co", u"Co"}, {u"Private_Use", u"Co"},
            {u"Cn", u"Cn"}, {u"Unassigned", u"Cn"},
        };
        QHash<QString, QString> m;
        for (const auto &[from, to] : table)
            m.insert(QString::fromUtf16(from), QString::fromUtf16(to));
        return m;
    }();
    return map;
}

class Translator
{
public:
    explicit Translator(const QString &pattern) : m_in(pattern) {}

    Result<QString> run()
    {
        while (m_pos < m_in.size()) {
            if (!m_error.isEmpty())
                break;
            if (m_inClass)
                classChar();
            else
                plainChar();
        }
        if (m_error.isEmpty() && m_inClass)
            m_error = u"unterminated character class"_s;
        if (!m_error.isEmpty())
            return fail(0, u"pattern \""_s + m_in + u"\": "_s + m_error);
        return m_out;
    }

private:
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_in.size() ? m_in.at(m_pos + ahead) : QChar();
    }

    void plainChar()
    {
        const QChar c = m_in.at(m_pos);
        if (c == u'\\') {
            escape(false);
        } else if (c == u'.') {
            m_out += u"[^\\n\\r\\x{2028}\\x{2029}]"_s;
            ++m_pos;
        } else if (c == u'$') {
            m_out += u"\\z"_s;
            ++m_pos;
        } else if (c == u'[') {
            ++m_pos;
            openClass();
        } else {
            m_out += c;
            ++m_pos;
        }
    }

    void openClass()
    {
        const bool negated = peek() == u'^';
        if (negated)
            ++m_pos;
        if (peek() == u']') { // [] matches nothing, [^] matches anything
            ++m_pos;
            m_out += negated ? u"[\\x{0}-\\x{10FFFF}]"_s : u"(?!)"_s;
            return;
        }
        m_out += negated ? u"[^"_s : u"["_s;
        m_inClass = true;
    }

    void classChar()
    {
        const QChar c = m_in.at(m_pos);
        if (c == u'\\') {
            escape(true);
        } else if (c == u']') {
            m_out += c;
            m_inClass = false;
            ++m_pos;
        } else if (c == u'[') {
            m_out += u"\\["_s;
            ++m_pos;
        } else {
            m_out += c;
            ++m_pos;
        }
    }

    // Reads hex digits at m_pos; returns the value or -1.
    long long hexDigits(qsizetype count)
    {
        if (m_pos + count > m_in.size())
            return -1;
        bool ok = false;
        const long long value = m_in.mid(m_pos, count).toLongLong(&ok, 16);
        if (!ok)
            return -1;
        for (qsizetype i = 0; i < count; ++i) {
            if (!isHexDigit(m_in.at(m_pos + i)))
                return -1;
        }
        m_pos += count;
        return value;
    }

    static bool isHexDigit(QChar c)
    {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
    }

    void codePoint(long long value)
    {
        m_out += u"\\x{"_s + QString::number(value, 16).toUpper() + u'}';
    }

    // m_pos is at '\'.
    void escape(bool inClass)
    {
        const QChar e = peek(1);
        if (e.isNull()) {
            m_error = u"pattern ends with a backslash"_s;
            return;
        }
        m_pos += 2;
        const char16_t ch = e.unicode();
        switch (ch) {
        case u'd':
            m_out += inClass ? kDigitSet.toString() : u'[' + kDigitSet + u']';
            return;
        case u'w':
            m_out += inClass ? kWordSet.toString() : u'[' + kWordSet + u']';
            return;
        case u's':
            m_out += inClass ? kSpaceSet.toString() : u'[' + kSpaceSet + u']';
            return;
        case u'D':
        case u'W':
        case u'S': {
            if (inClass) {
                m_error = u"negated shorthand \\"_s + e + u" inside a character class is not supported"_s;
                return;
            }
            const QStringView set = ch == u'D' ? kDigitSet : ch == u'W' ? kWordSet : kSpaceSet;
            m_out += u"[^"_s + set + u']';
            return;
        }
        case u'b':
            if (inClass) {
                m_out += u"\\x{8}"_s;
            } else {
                m_out += u"(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))"_s;
            }
            return;
        case u'B':
            if (inClass) {
                m_error = u"\\B inside a character class"_s;
                return;
            }
            m_out += u"(?:(?<=[A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<![A-Za-z0-9_])(?![A-Za-z0-9_]))"_s;
            return;
        case u'v':
            m_out += u"\\x{B}"_s;
            return;
        case u'0':
            if (peek().isDigit()) {
                m_error = u"legacy octal escape"_s;
                return;
            }
            m_out += u"\\x{0}"_s;
            return;
        case u'x': {
            const long long value = hexDigits(2);
            if (value < 0) {
                m_error = u"\\x needs two hex digits"_s;
                return;
            }
            codePoint(value);
            return;
        }
        case u'u': {
            long long value = -1;
            if (peek() == u'{') {
                ++m_pos;
                const qsizetype close = m_in.indexOf(u'}', m_pos);
                if (close > m_pos)
                    value = hexDigits(close - m_pos);
                if (value < 0 || value > 0x10FFFF || peek() != u'}') {
                    m_error = u"bad \\u{...} escape"_s;
                    return;
                }
                ++m_pos;
            } else {
                value = hexDigits(4);
                if (value < 0) {
                    m_error = u"\\u needs four hex digits"_s;
                    return;
                }
                // A surrogate pair written as two escapes is one code point with the u flag.
                if (value >= 0xD800 && value <= 0xDBFF && peek() == u'\\' && peek(1) == u'u') {
                    const qsizetype save = m_pos;
                    m_pos += 2;
                    const long long low = hexDigits(4);
                    if (low >= 0xDC00 && low <= 0xDFFF)
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00);
                    else
                        m_pos = save;
                }
            }
            codePoint(value);
            return;
        }
        case u'p':
        case u'P':
            property(ch == u'P', inClass);
            return;
        default:
            // \t \n \r \f, \cX, back-references \1..\9 and \k<name>, and escaped syntax characters
            // mean the same in PCRE2.
            m_out += u'\\';
            m_out += e;
            return;
        }
    }

    void property(bool negated, bool inClass)
    {
        if (peek() != u'{') {
            m_error = u"\\p needs {...}"_s;
            return;
        }
        const qsizetype close = m_in.indexOf(u'}', m_pos);
        if (close < 0) {
            m_error = u"unterminated \\p{...}"_s;
            return;
        }
        const QString body = m_in.mid(m_pos + 1, close - m_pos - 1);
        m_pos = close + 1;
        const QString p = negated ? u"\\P"_s : u"\\p"_s;

        QString name = body;
        QString value;
        if (const qsizetype eq = body.indexOf(u'='); eq >= 0) {
            name = body.left(eq);
            value = body.mid(eq + 1);
            if (name == u"gc" || name == u"General_Category") {
                const auto gc = generalCategories().constFind(value);
                if (gc == generalCategories().constEnd()) {
                    m_error = u"unknown General_Category \""_s + value + u'"';
                    return;
                }
                m_out += p + u'{' + *gc + u'}';
            } else if (name == u"sc" || name == u"Script") {
                m_out += p + u'{' + value + u'}';
            } else if (name == u"scx" || name == u"Script_Extensions") {
                m_out += p + u"{scx:"_s + value + u'}';
            } else {
                m_error = u"unknown property \""_s + name + u'"';
            }
            return;
        }
        if (const auto gc = generalCategories().constFind(name); gc != generalCategories().constEnd()) {
            m_out += p + u'{' + *gc + u'}';
        } else if (name == u"ASCII") {
            if (inClass && negated) {
                m_error = u"\\P{ASCII} inside a character class"_s;
                return;
            }
            m_out += inClass ? u"\\x{0}-\\x{7F}"_s : (negated ? u"[^\\x{0}-\\x{7F}]"_s : u"[\\x{0}-\\x{7F}]"_s);
        } else if (name == u"Assigned") {
            m_out += (negated ? u"\\p"_s : u"\\P"_s) + u"{Cn}"_s;
        } else {
            // Binary properties (Join_Control, Alphabetic, White_Space, ...) and Any: PCRE2 10.40+
            // knows them under the same names; compiling the result catches the rest.
            m_out += p + u'{' + name + u'}';
        }
    }

    const QString m_in;
    qsizetype m_pos = 0;
    bool m_inClass = false;
    QString m_out;
    QString m_error;
};

} // namespace

Result<QString> ecmaToPcre(const QString &ecmaPattern)
{
    return Translator(ecmaPattern).run();
}

Result<QRegularExpression> compileEcmaPattern(const QString &ecmaPattern)
{
    auto pcre = ecmaToPcre(ecmaPattern);
    if (!pcre)
        return std::unexpected(pcre.error());
    QRegularExpression re(*pcre, QRegularExpression::UseUnicodePropertiesOption);
    if (!re.isValid()) {
        return fail(0, u"pattern \""_s + ecmaPattern + u"\": PCRE2 rejects the translation \""_s + *pcre
                           + u"\": "_s + re.errorString());
    }
    return re;
}

namespace {

// Every pattern ever registered, by id; never shrinks, so ids stay valid.
struct PatternRegistry
{
    std::mutex mutex;
    QHash<QString, int> ids;
    QStringList patterns;
};

PatternRegistry &registry()
{
    static PatternRegistry r;
    return r;
}

} // namespace

EcmaPattern::EcmaPattern(const QString &ecmaPattern)
{
    PatternRegistry &r = registry();
    std::lock_guard lock(r.mutex);
    const auto it = r.ids.constFind(ecmaPattern);
    if (it != r.ids.constEnd()) {
        m_id = *it;
        return;
    }
    m_id = int(r.patterns.size());
    r.patterns.append(ecmaPattern);
    r.ids.insert(ecmaPattern, m_id);
}

QString EcmaPattern::pattern() const
{
    PatternRegistry &r = registry();
    std::lock_guard lock(r.mutex);
    return r.patterns.at(m_id);
}

bool EcmaPattern::matches(const QString &subject) const
{
    struct Compiled
    {
        bool tried = false;
        std::optional<QRegularExpression> re;
    };
    thread_local std::vector<Compiled> compiled;
    if (std::size_t(m_id) >= compiled.size())
        compiled.resize(std::size_t(m_id) + 1);
    Compiled &c = compiled[std::size_t(m_id)];
    if (!c.tried) {
        c.tried = true;
        if (auto re = compileEcmaPattern(pattern()))
            c.re = std::move(*re);
    }
    return c.re && c.re->match(subject).hasMatch();
}

bool ecmaPatternMatches(const QString &ecmaPattern, const QString &subject)
{
    return EcmaPattern(ecmaPattern).matches(subject);
}

} // namespace Pm::Fspiop::Internal
