{# The model's columns are exactly Stames_Id__c plus the mapping's custom (`__c`) targets of
   `target_object` (a lookup as `ref__<Field>`, but a ticket's lookup to an agent as itself): fails with the columns missing or extra. #}
{% test columns_match_mapping(model, target_object) %}
{#- the model's columns as the adapter lists them: Spark has no information_schema -#}
{%- set actual_columns = adapter.get_columns_in_relation(model) if execute else [] %}
with expected as (
    select distinct
        case
            when fields.source_type = 'lookup' and definitions.lookup__target is distinct from 'agent'
                then 'ref__' || fields.target_field
            else fields.target_field
        end as column_name
    from {{ ref('stg_mapping__fields') }} as fields
    {#- a ticket's lookup to an agent holds the User Id itself (sync_salesforce__case_custom_fields) #}
    left join {{ ref('stg_stames__custom_fields') }} as definitions
        on definitions.object_type = 'ticket' and fields.source = 'ticket.custom.' || definitions.key
    where fields.target_object = '{{ target_object }}' and right(fields.target_field, 3) = '__c'
    union
    select 'Stames_Id__c'
),

actual as (
    {%- for column in actual_columns %}
    select {{ literal(column.name) }} as column_name
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select cast(null as string) as column_name where false
    {%- endfor %}
)

select coalesce(expected.column_name, actual.column_name) as column_name,
       case when actual.column_name is null then 'missing' else 'extra' end as problem
from expected
full outer join actual on actual.column_name = expected.column_name
where expected.column_name is null or actual.column_name is null
{% endtest %}
