{# The identity that proves nothing was lost: per Stames source object,
   source_rows = synced + quarantined + excluded (each exclusion under a mapping rule).
   Each area adds its source count, sync table and int_excluded__<area> model below. #}
{#- Each source object: the SQL that counts its Stames rows and the SQL that counts its synced
    rows (a message becomes an EmailMessage, a Task or a CaseComment as the mapping routes it). -#}
{%- set counted_objects = [
    {'object': "'customer'", 'source': ref('stg_stames__customers'), 'sync': ref('sync_salesforce__contacts')},
    {'object': "'ticket'", 'source': ref('stg_stames__tickets'), 'sync': ref('sync_salesforce__cases')},
    {'object': "'status_change'", 'source': ref('stg_stames__status_changes'), 'sync': ref('sync_salesforce__case_status_history')},
] %}
{%- set excluded_areas = [
    'int_excluded__customers', 'int_excluded__cases', 'int_excluded__messages',
    'int_excluded__files', 'int_excluded__history',
] %}
with source_rows as (
    {% for item in counted_objects %}
    select {{ item.object }} as object, count(*) as source_rows from {{ item.source }}
    union all
    {% endfor %}
    select 'message', count(*) from {{ ref('stg_stames__messages') }}
    union all
    select 'attachment', count(*) from {{ ref('stg_stames__attachments') }}
    union all
    select 'custom_object.' || object_key, count(*)
    from {{ ref('stg_stames__custom_object_records') }}
    where object_key is not null
    group by object_key
),

synced as (
    {% for item in counted_objects %}
    select {{ item.object }} as object, count(*) as synced from {{ item.sync }}
    union all
    {% endfor %}
    select 'message', sum(rows_synced) from (
        select count(*) as rows_synced from {{ ref('sync_salesforce__email_messages') }}
        union all
        select count(*) from {{ ref('sync_salesforce__tasks') }}
        union all
        select count(*) from {{ ref('sync_salesforce__case_comments') }}
    )
    union all
    select 'attachment', count(*)
    from {{ ref('sync_salesforce__content_versions') }}
    where stames__file_kind = 'attachment'
    union all
    select 'custom_object.' || custom_objects.source_key, count(*)
    from {{ ref('sync_salesforce__custom_object_records') }} as records
    inner join {{ source('mapping', 'custom_objects') }} as custom_objects
        on custom_objects.api_name = records.stames__sobject
    group by custom_objects.source_key
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
        {{ ordered_string_agg("rule || ': ' || records", "', '", 'rule') }} as excluded_by_rule
    from excluded_by_rule
    group by object
)

select
    cast(source_rows.object as string) as object,
    cast(source_rows.source_rows as bigint) as source_rows,
    cast(coalesce(synced.synced, 0) as bigint) as synced,
    cast(coalesce(quarantined.quarantined, 0) as bigint) as quarantined,
    cast(coalesce(excluded.excluded, 0) as bigint) as excluded,
    cast(excluded.excluded_by_rule as string) as excluded_by_rule,
    cast(
        source_rows.source_rows
        = coalesce(synced.synced, 0) + coalesce(quarantined.quarantined, 0) + coalesce(excluded.excluded, 0)
        as boolean
    ) as is_balanced
from source_rows
left join synced on synced.object = source_rows.object
left join quarantined on quarantined.object = source_rows.object
left join excluded on excluded.object = source_rows.object
