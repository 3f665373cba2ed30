{#- Each ticket tag and the Salesforce value it becomes: the mapping's tag value map (the one
    fields.value_map names for `ticket.tags`) where it lists the tag, else the tag normalised the
    way that map was proposed (NFC, accents stripped, lower case, `,`/`;` to a space: neither
    may appear inside a multi-select picklist value). A tag mapped to nothing is dropped. -#}
with

ticket_tags as (

    select tickets.id as ticket_id, tags.tag as tag_name
    from {{ ref('stg_stames__ticket_tags') }} as tags
    inner join {{ ref('stg_stames__tickets') }} as tickets on tickets.dlt_id = tags.ticket_dlt_id

),

tag_map as (

    select value_maps.source_value, value_maps.target_value
    from {{ source('mapping', 'value_maps') }} as value_maps
    where value_maps.value_map = coalesce(
        (select value_map from {{ source('mapping', 'fields') }} where source = 'ticket.tags' and value_map is not null limit 1),
        'tags'
    )
        and not value_maps.is_default

),

normalised as (

    select
        ticket_tags.ticket_id,
        ticket_tags.tag_name,
        tag_map.source_value is not null as is_listed,
        case
            when tag_map.source_value is not null then tag_map.target_value
            else trim(regexp_replace(
                lower(strip_accents(nfc_normalize(ticket_tags.tag_name))), '[\s,;]+', ' ', 'g'
            ))
        end as tag_value
    from ticket_tags
    left join tag_map on tag_map.source_value = ticket_tags.tag_name

)

select * from normalised
where tag_value is not null and tag_value <> ''
