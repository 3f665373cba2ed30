{#- Salesforce measures text length in UTF-16 code units (as Java does): a character outside
    the Basic Multilingual Plane (an emoji) counts 2. DuckDB's length() counts code points, so
    the astral ones are counted again. -#}
{% macro utf16_length(text_expr) -%}
    (length({{ text_expr }}) + length({{ replace_all(text_expr, literal(not_astral()), "''") }}))
{%- endmacro %}

{#- A character class: every character but those outside the Basic Multilingual Plane. -#}
{% macro not_astral() -%}[^\x{10000}-\x{10FFFF}]{%- endmacro %}


{#- The longest prefix of a text that fits `limit` UTF-16 units, cut between code points (so
    never inside a UTF-8 sequence or a surrogate pair). Taking `limit` code points and then
    dropping as many as the astral characters they hold keeps within the limit. -#}
{% macro salesforce_prefix(text_expr, limit) -%}
    left({{ text_expr }}, {{ limit }} - length({{ replace_all('left(' ~ text_expr ~ ', ' ~ limit ~ ')', literal(not_astral()), "''") }}))
{%- endmacro %}


{#- A text body cut to `limit` UTF-16 units; a text that fits is returned unchanged. -#}
{% macro cut_text(text_expr, limit) -%}
    case
        when {{ utf16_length(text_expr) }} <= {{ limit }} then {{ text_expr }}
        else {{ salesforce_prefix(text_expr, limit) }}
    end
{%- endmacro %}


{#- An HTML body cut to `limit` UTF-16 units at a clean boundary: a tag (`<...`) or an entity
    (`&amp`, `&#233`) left open by the cut is dropped whole, so the kept part never ends inside
    either. A body that fits is returned unchanged. -#}
{% macro cut_html(html_expr, limit) -%}
    case
        when {{ utf16_length(html_expr) }} <= {{ limit }} then {{ html_expr }}
        else regexp_replace(
            regexp_replace({{ salesforce_prefix(html_expr, limit) }}, '<[^>]*$', ''),
            '&#?[A-Za-z0-9]*$', ''
        )
    end
{%- endmacro %}


{#- A file name cut to `limit` UTF-16 units with its extension (`extension_expr`, `.pdf` or '')
    kept at the end; a name that fits is returned unchanged. -#}
{% macro file_name_within(name_expr, extension_expr, limit) -%}
    case
        when {{ utf16_length(name_expr) }} <= {{ limit }} then {{ name_expr }}
        else {{ salesforce_prefix('left(' ~ name_expr ~ ', length(' ~ name_expr ~ ') - length(' ~ extension_expr ~ '))', '(' ~ limit ~ ' - length(' ~ extension_expr ~ '))') }}
            || {{ extension_expr }}
    end
{%- endmacro %}
