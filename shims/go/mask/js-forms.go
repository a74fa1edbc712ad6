// Two JavaScript encodings the masker must reproduce byte for byte: encodeURIComponent and JSON.stringify of a string.
// Rule: hand-written because Go's own differ (url escapes spaces and keeps other bytes, encoding/json escapes <>& and U+2028).

package mask

import "strings"

const upperHex = "0123456789ABCDEF"
const lowerHex = "0123456789abcdef"

// EncodeURIComponent is JavaScript's encodeURIComponent for valid UTF-8: every byte outside A-Z a-z 0-9 - _ . ! ~ * ' ( )
// becomes %XX (upper-case hex). JavaScript throws on a lone surrogate; such a value never reaches Go as a string.
func EncodeURIComponent(value string) string {
	var b strings.Builder
	b.Grow(len(value) * 3)
	for i := 0; i < len(value); i++ {
		c := value[i]
		if uriUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

func uriUnreserved(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-_.!~*'()", c) >= 0
}

// JSONStringify is JavaScript's JSON.stringify of a string, quotes included: \" \\ \b \f \n \r \t, other bytes below
// 0x20 as \u00xx (lower-case hex), everything else (DEL, <, >, &, U+2028, non-ASCII) as it is.
func JSONStringify(value string) string {
	var b strings.Builder
	b.Grow(len(value) + 2)
	b.WriteByte('"')
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(lowerHex[c>>4])
				b.WriteByte(lowerHex[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
