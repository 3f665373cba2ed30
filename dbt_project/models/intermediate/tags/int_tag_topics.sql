{#- When the mapping's tag strategy is `topics`: one Topic per distinct tag value and one
    assignment per migrated Case and tag. Tags of excluded tickets are not assigned. -#}
with

tags as (

    select distinct ticket_id, tag_value
    from {{ ref('int_tags_normalised') }}
    where {{ mapping_setting('tags') }} = 'topics'

),

excluded_cases as (

    select stames_id from {{ ref('int_excluded__cases') }}

)

select tags.ticket_id, tags.tag_value
from tags
left join excluded_cases on excluded_cases.stames_id = tags.ticket_id::varchar
where excluded_cases.stames_id is null
