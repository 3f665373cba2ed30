{# The identity that proves nothing was lost: per Stames source object,
   source_rows = synced + quarantined + excluded (each exclusion under a mapping rule).
   Each area adds its source count, sync table and int_excluded__<area> model below. #}
{%- set synced_objects = [
    {'object': 'customer', 'staging': 'stg_stames__customers', 'sync': 'sync_salesforce__contacts'},
    {'object': 'ticket', 'staging': 'stg_stames__tickets', 'sync': 'sync_salesforce__cases'},
] %}
{%- set excluded_areas = ['int_excluded__customers', 'int_excluded__cases'] %}
with source_rows as (
    {% for item in synced_objects %}
    select '{{ item.object }}' as object, count(*) as source_rows from {{ ref(item.staging) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

synced as (
    {% for item in synced_objects %}
    select '{{ item.object }}' as object, count(*) as synced from {{ ref(item.sync) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

quarantined as (
    select object, count(distinct stames_id) as quarantined
    from {{ ref('sync_salesforce__quarantine') }}
    group by object
),

excluded_records as (
    {% for area in excluded_areas %}
    select object, stames_id, rule from {{ ref(area) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

excluded_by_rule as (
    select object, rule, count(*) as records from excluded_records group by object, rule
),

excluded as (
    select
        object,
        sum(records) as excluded,
        string_agg(rule || ': ' || records, ', ' order by rule) as excluded_by_rule
    from excluded_by_rule
    group by object
)

select
    cast(source_rows.object as varchar) as object,
    cast(source_rows.source_rows as bigint) as source_rows,
    cast(coalesce(synced.synced, 0) as bigint) as synced,
    cast(coalesce(quarantined.quarantined, 0) as bigint) as quarantined,
    cast(coalesce(excluded.excluded, 0) as bigint) as excluded,
    cast(excluded.excluded_by_rule as varchar) as excluded_by_rule,
    cast(
        source_rows.source_rows
        = coalesce(synced.synced, 0) + coalesce(quarantined.quarantined, 0) + coalesce(excluded.excluded, 0)
        as boolean
    ) as is_balanced
from source_rows
left join synced on synced.object = source_rows.object
left join quarantined on quarantined.object = source_rows.object
left join excluded on excluded.object = source_rows.object
