{# Text normalisation shared by the customer models (API.md §3: customers & identity). #}

{# NFKC for the characters Stames data holds: full-width ASCII (a `＠` in an email) folded to
   ASCII, then NFC. DuckDB has no NFKC; the full-width block U+FF01..U+FF5E is the part that
   matters for emails and company names. #}
{% macro fold_fullwidth(expression) -%}
    {%- set halfwidth %}!"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~{% endset -%}
    {{ nfc('translate(' ~ expression ~ ", '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～', " ~ literal(halfwidth) ~ ')') }}
{%- endmacro %}

{# An email as matched for duplicates: trimmed, NFKC-folded, lower-cased (local part included:
   the policy is that Ana.Perez and ana.perez are one person). NULL when empty. #}
{% macro normalised_email(expression) -%}
    nullif(lower(trim({{ fold_fullwidth(expression) }})), '')
{%- endmacro %}

{# A company name as matched for Accounts: folded, accents stripped, lower-cased, German umlauts
   spelled out (Müller = Mueller), punctuation to spaces, legal suffixes dropped, spaces collapsed. NULL when nothing is left. #}
{% macro normalised_company(expression) -%}
    {%- set suffix_words %}\b({{ legal_suffixes() | join("|") }})\b{% endset -%}
    {%- set spelled = strip_accents("replace(replace(replace(replace(lower(" ~ fold_fullwidth(expression)
                                    ~ "), 'ß', 'ss'), 'ü', 'ue'), 'ö', 'oe'), 'ä', 'ae')") -%}
    nullif(trim({{ replace_all(replace_all(replace_all(spelled, "'[^a-z0-9]+'", "' '"),
                                           literal(suffix_words), "' '"),
                               "' +'", "' '") }}), '')
{%- endmacro %}

{# Legal forms and their spelled-out variants, removed when matching company names. Words, not
   mapping decisions: which Account a customer joins is the normalised name. #}
{% macro legal_suffixes() -%}
    {{ return(['ltd', 'limited', 'sl', 's l', 'sa', 's a', 'lda', 'limitada', 'gmbh', 'inc',
               'corp', 'corporation', 'llc', 'plc', 'co', 'und', 'and']) }}
{%- endmacro %}

{# Whether Salesforce accepts `expression` in an Email field: one @, a dotted domain, the
   characters RFC 5322 allows unquoted, at most 80 characters. #}
{% macro salesforce_email_ok(expression) -%}
    {%- set pattern %}^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+${% endset -%}
    (length({{ expression }}) <= 80 and {{ matches(expression, literal(pattern)) }})
{%- endmacro %}
