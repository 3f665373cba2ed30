{# Each ticket's tags through the value map whose target is the mapping's tag field (strategy
   `multipicklist`), matched trimmed (`vip ` is `vip`): the listed value (which may be empty),
   else the map's default; distinct and sorted, joined with `;` for a multi-select picklist. A
   tag neither listed nor defaulted is left out. #}
with settings as (
    select * from {{ ref('stg_mapping__settings') }}
),

tag_map as (
    select value_maps.*
    from {{ ref('stg_mapping__value_maps') }} as value_maps
    where value_maps.target = (select value from settings where key = 'tag_field')
      and (select value from settings where key = 'tags') = 'multipicklist'
),

ticket_tags as (
    select tickets.id as ticket_id, trim(tags.tag) as tag
    from {{ ref('stg_stames__ticket_tags') }} as tags
    inner join {{ ref('stg_stames__tickets') }} as tickets on tickets.dlt_id = tags.ticket_dlt_id
),

mapped_tags as (
    select
        ticket_tags.ticket_id,
        case when listed.value_map is not null then listed.target_value else defaults.target_value end as tag
    from ticket_tags
    left join tag_map as listed on not listed.is_default and listed.source_value = ticket_tags.tag
    left join tag_map as defaults on defaults.is_default
)

select
    ticket_id,
    string_agg(distinct tag, ';' order by tag) as tags
from mapped_tags
group by ticket_id
