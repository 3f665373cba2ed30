{#- Every ticket tag and the Salesforce value the mapping gives it, the one place tags are mapped
    (the Case's picklist and the Topics both read it). The tag value map is the one
    fields.value_map names for `ticket.tags` (else `tags`); a tag is looked up trimmed (`vip ` is
    `vip`). A listed tag takes its entry's value (empty: dropped on purpose), any other the map's
    default; a tag neither listed nor defaulted has no value (`is_unmapped`) and is listed in the
    quarantine, the Case loading without it. Spellings (accents, case, separators) are decided in
    the map the proposer wrote and a person confirmed, not here. -#}
with

ticket_tags as (

    select tickets.id as ticket_id, tags.tag as tag_name, trim(tags.tag) as tag_key
    from {{ ref('stg_stames__ticket_tags') }} as tags
    inner join {{ ref('stg_stames__tickets') }} as tickets on tickets.dlt_id = tags.ticket_dlt_id

),

tag_value_map as (

    select coalesce(
        (select min(value_map) from {{ source('mapping', 'fields') }} where source = 'ticket.tags'),
        'tags'
    ) as value_map

),

entries as (

    select trim(source_value) as tag_key, min(target_value) as target_value
    from {{ source('mapping', 'value_maps') }}
    where value_map = (select value_map from tag_value_map) and not is_default and source_value is not null
    group by trim(source_value)

),

fallback as (

    select count(*) > 0 as has_default, min(target_value) as target_value
    from {{ source('mapping', 'value_maps') }}
    where value_map = (select value_map from tag_value_map) and is_default

)

select
    ticket_tags.ticket_id,
    ticket_tags.tag_name,
    entries.tag_key is not null as is_listed,
    case when entries.tag_key is not null then entries.target_value else fallback.target_value end as tag_value,
    entries.tag_key is null and not fallback.has_default as is_unmapped,
    (select value_map from tag_value_map) as value_map
from ticket_tags
cross join fallback
left join entries on entries.tag_key = ticket_tags.tag_key
