{#- Where DuckDB and Spark SQL differ, the models call these: each is dispatched on the adapter
    (`default__` is DuckDB, `spark__` is dbt-spark; the project's tests build both and compare).
    Everything else in a model is SQL both engines read the same way: `::string` and
    `cast(... as string)`, `filter (where ...)`, `qualify`, `min_by`/`max_by`, `split_part`,
    `listagg` is avoided (DuckDB spells it differently), `array_contains`/`array_append`.
    Ordering: DuckDB sorts NULLs last, Spark first; a model that orders by a nullable column
    says `nulls last`. -#}


{#- A string literal of `text` taken verbatim: Spark reads a backslash in a literal as an escape
    (`'\d'` is `d`), DuckDB does not. Patterns are written in `{% set %}` blocks and passed here,
    so the pattern text is the same on both engines. -#}
{% macro literal(text) -%}{{ return(adapter.dispatch('literal')(text)) }}{%- endmacro %}
{% macro default__literal(text) -%}'{{ text | replace("'", "''") }}'{%- endmacro %}
{% macro spark__literal(text) -%}'{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'{%- endmacro %}


{#- Whether `expression` has a match of regular expression `pattern` (a SQL literal, see
    `literal`) anywhere in it. -#}
{% macro matches(expression, pattern) -%}{{ return(adapter.dispatch('matches')(expression, pattern)) }}{%- endmacro %}
{% macro default__matches(expression, pattern) -%}regexp_matches({{ expression }}, {{ pattern }}){%- endmacro %}
{% macro spark__matches(expression, pattern) -%}({{ expression }} rlike {{ pattern }}){%- endmacro %}


{#- Every match of `pattern` replaced (DuckDB replaces the first unless told 'g'). -#}
{% macro replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_all')(expression, pattern, replacement)) }}
{%- endmacro %}
{% macro default__replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}
{% macro spark__replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}


{#- `expression`'s values joined by `separator` in the order of `order_by` (an aggregate; NULL
    values are skipped, as both engines do). -#}
{% macro ordered_string_agg(expression, separator, order_by, distinct=false) -%}
    {{ return(adapter.dispatch('ordered_string_agg')(expression, separator, order_by, distinct)) }}
{%- endmacro %}
{% macro default__ordered_string_agg(expression, separator, order_by, distinct) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expression }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}
{% macro spark__ordered_string_agg(expression, separator, order_by, distinct) -%}
    listagg({{ 'distinct ' if distinct }}{{ expression }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}


{#- All columns of the relation in scope except `columns` (a list of names). -#}
{% macro star_except(columns, prefix='') -%}
    {{ return(adapter.dispatch('star_except')(columns, prefix)) }}
{%- endmacro %}
{% macro default__star_except(columns, prefix) -%}{{ prefix }}* exclude ({{ columns | join(', ') }}){%- endmacro %}
{% macro spark__star_except(columns, prefix) -%}{{ prefix }}* except ({{ columns | join(', ') }}){%- endmacro %}


{#- Unicode NFC and accent stripping. DuckDB has them built in; Spark SQL has neither, so
    stames_sf/spark_lake.py registers them in the session as Python functions of the same
    meaning (`unicodedata`). -#}
{% macro nfc(expression) -%}{{ return(adapter.dispatch('nfc')(expression)) }}{%- endmacro %}
{% macro default__nfc(expression) -%}nfc_normalize({{ expression }}){%- endmacro %}
{% macro spark__nfc(expression) -%}stames_nfc({{ expression }}){%- endmacro %}

{% macro strip_accents(expression) -%}{{ return(adapter.dispatch('strip_accents')(expression)) }}{%- endmacro %}
{% macro default__strip_accents(expression) -%}strip_accents({{ expression }}){%- endmacro %}
{% macro spark__strip_accents(expression) -%}stames_strip_accents({{ expression }}){%- endmacro %}


{#- Timestamps. Both engines hold UTC instants here: DuckDB as `timestamptz` read `at time zone
    'UTC'`, Spark as `timestamp` in a session whose time zone is UTC (spark_lake.py sets it). -#}

{#- Text with a `Z` or an offset, as the UTC timestamp it names. -#}
{% macro utc_from_offset_text(text) -%}{{ return(adapter.dispatch('utc_from_offset_text')(text)) }}{%- endmacro %}
{% macro default__utc_from_offset_text(text) -%}(cast({{ text }} as timestamptz) at time zone 'UTC'){%- endmacro %}
{% macro spark__utc_from_offset_text(text) -%}cast({{ text }} as timestamp){%- endmacro %}

{#- A wall-clock timestamp `local` in time zone `zone` (an expression) as UTC. An ambiguous wall
    time (the autumn change) takes its first occurrence; one in the spring gap moves forward by
    the gap. DuckDB's ICU and Java's ZonedDateTime both decide so. -#}
{% macro utc_from_local(local, zone) -%}{{ return(adapter.dispatch('utc_from_local')(local, zone)) }}{%- endmacro %}
{% macro default__utc_from_local(local, zone) -%}
    case
        when timezone({{ zone }}, timezone('UTC', (timezone({{ zone }}, {{ local }}) at time zone 'UTC') - interval 1 hour))
             = {{ local }}
            then (timezone({{ zone }}, {{ local }}) at time zone 'UTC') - interval 1 hour
        else timezone({{ zone }}, {{ local }}) at time zone 'UTC'
    end
{%- endmacro %}
{% macro spark__utc_from_local(local, zone) -%}to_utc_timestamp({{ local }}, {{ zone }}){%- endmacro %}

{#- Seconds since 1970 of a UTC timestamp. -#}
{% macro epoch_seconds(timestamp) -%}{{ return(adapter.dispatch('epoch_seconds')(timestamp)) }}{%- endmacro %}
{% macro default__epoch_seconds(timestamp) -%}epoch({{ timestamp }}){%- endmacro %}
{% macro spark__epoch_seconds(timestamp) -%}unix_timestamp({{ timestamp }}){%- endmacro %}


{#- Bytes and digests. -#}

{#- The lowercase hex SHA-256 of text (its UTF-8 bytes) or of a binary value. -#}
{% macro sha256_hex(expression) -%}{{ return(adapter.dispatch('sha256_hex')(expression)) }}{%- endmacro %}
{% macro default__sha256_hex(expression) -%}sha256({{ expression }}){%- endmacro %}
{% macro spark__sha256_hex(expression) -%}sha2(cast({{ expression }} as binary), 256){%- endmacro %}

{#- The size of text in UTF-8 bytes. -#}
{% macro utf8_bytes(text) -%}{{ return(adapter.dispatch('utf8_bytes')(text)) }}{%- endmacro %}
{% macro default__utf8_bytes(text) -%}octet_length(encode({{ text }})){%- endmacro %}
{% macro spark__utf8_bytes(text) -%}octet_length({{ text }}){%- endmacro %}

{#- Base64 text decoded, NULL when it is not valid base64. -#}
{% macro try_from_base64(text) -%}{{ return(adapter.dispatch('try_from_base64')(text)) }}{%- endmacro %}
{% macro default__try_from_base64(text) -%}try(from_base64({{ text }})){%- endmacro %}
{#- Spark decodes unpadded text and text with line breaks, DuckDB refuses both: only padded
    base64 of whole quantums is decoded here, as DuckDB would. -#}
{% macro spark__try_from_base64(text) -%}
    case when {{ text }} rlike '^[A-Za-z0-9+/]*={0,2}$' and length({{ text }}) % 4 = 0
         then try_to_binary({{ text }}, 'base64') end
{%- endmacro %}


{#- Arrays. -#}
{% macro array_size(expression) -%}{{ return(adapter.dispatch('array_size')(expression)) }}{%- endmacro %}
{% macro default__array_size(expression) -%}len({{ expression }}){%- endmacro %}
{% macro spark__array_size(expression) -%}size({{ expression }}){%- endmacro %}


{#- The warehouse's catalogue. -#}

{#- The names of the tables in `schema` (lower case, sorted), as a list. -#}
{% macro tables_in_schema(schema) %}
    {% if not execute %}{{ return([]) }}{% endif %}
    {{ return(adapter.dispatch('tables_in_schema')(schema)) }}
{% endmacro %}
{% macro default__tables_in_schema(schema) %}
    {% set found = run_query("select table_name from information_schema.tables where table_schema = '" ~ schema ~ "'") %}
    {{ return(found.columns[0].values() | map('lower') | sort) }}
{% endmacro %}
{% macro spark__tables_in_schema(schema) %}
    {% if schema | lower not in (run_query("show databases").columns[0].values() | map('lower') | list) %}
        {{ return([]) }}
    {% endif %}
    {% set found = run_query("show tables in " ~ schema) %}
    {{ return(found.columns['tableName'].values() | map('lower') | sort) }}
{% endmacro %}
