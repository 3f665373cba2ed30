{#- Where the messages and files area needs SQL that DuckDB and Spark spell differently (see
    portable.sql for the shared ones). -#}


{#- An aggregate: the group's (`found`, `file`) text pairs as a list of structs, the longest
    `found` first (then by text), so that folding them with `replace_each` swaps a text before
    any shorter one that is a prefix of it, and the result does not hang on row order. -#}
{% macro replacement_list(found_expr, file_expr) -%}
    {{ return(adapter.dispatch('replacement_list')(found_expr, file_expr)) }}
{%- endmacro %}
{% macro default__replacement_list(found_expr, file_expr) -%}
    list({'found': {{ found_expr }}, 'file': {{ file_expr }}}
         order by length({{ found_expr }}) desc, {{ found_expr }}, {{ file_expr }})
{%- endmacro %}
{#- collect_list keeps no order: sort_array orders the structs field by field. -#}
{% macro spark__replacement_list(found_expr, file_expr) -%}
    transform(
        sort_array(collect_list(named_struct(
            'length', -length({{ found_expr }}), 'found', {{ found_expr }}, 'file', {{ file_expr }}
        ))),
        swap -> named_struct('found', swap.found, 'file', swap.file)
    )
{%- endmacro %}


{#- `text_expr` with each pair of `list_expr` (from `replacement_list`) replaced in turn; a NULL
    list leaves the text as it is. -#}
{% macro replace_each(text_expr, list_expr) -%}
    {{ return(adapter.dispatch('replace_each')(text_expr, list_expr)) }}
{%- endmacro %}
{% macro default__replace_each(text_expr, list_expr) -%}
    list_reduce(coalesce({{ list_expr }}, []), lambda body, swap: replace(body, swap.found, swap.file), {{ text_expr }})
{%- endmacro %}
{% macro spark__replace_each(text_expr, list_expr) -%}
    case
        when {{ list_expr }} is null then {{ text_expr }}
        else aggregate({{ list_expr }}, {{ text_expr }}, (body, swap) -> replace(body, swap.found, swap.file))
    end
{%- endmacro %}


{#- Select-list items: one row per element of `array_expr`, as column `value_name`, with its
    1-based place in the array as `position_name`. An empty or NULL array gives no row. -#}
{% macro unnest_with_position(array_expr, value_name, position_name) -%}
    {{ return(adapter.dispatch('unnest_with_position')(array_expr, value_name, position_name)) }}
{%- endmacro %}
{#- DuckDB zips unnests of equal length in one select list. -#}
{% macro default__unnest_with_position(array_expr, value_name, position_name) -%}
    unnest({{ array_expr }}) as {{ value_name }},
    unnest(range(1, len({{ array_expr }}) + 1)) as {{ position_name }}
{%- endmacro %}
{% macro spark__unnest_with_position(array_expr, value_name, position_name) -%}
    inline(transform({{ array_expr }}, (element, i) -> named_struct('{{ value_name }}', element, '{{ position_name }}', i + 1)))
{%- endmacro %}
