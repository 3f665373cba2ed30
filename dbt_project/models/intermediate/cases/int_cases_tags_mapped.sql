-- depends_on: {{ ref('stg_mapping__value_maps') }}
{# Each ticket's tags through the mapping's tag value map (matched trimmed: `vip ` is `vip`),
   distinct and sorted, joined with `;` for a multi-select picklist. A tag the map does not list
   and no default covers is left out (validate reports the gap). #}
{%- set tag_entries = [] -%}
{%- for entry in mapping_fields('Case') if entry.source_type == 'tags' -%}{%- do tag_entries.append(entry) -%}{%- endfor %}
with mapped_tags as (
    select
        tickets.id as ticket_id,
        {% if tag_entries -%}
        {{ value_mapped('trim(tags.tag)', tag_entries[0].value_map) }}
        {%- else -%}
        cast(null as varchar)
        {%- endif %} as tag
    from {{ ref('stg_stames__ticket_tags') }} as tags
    inner join {{ ref('stg_stames__tickets') }} as tickets on tickets.dlt_id = tags.ticket_dlt_id
)

select
    ticket_id,
    string_agg(distinct tag, ';' order by tag) as tags
from mapped_tags
group by ticket_id
