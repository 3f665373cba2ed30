{# The model's columns are exactly Stames_Id__c plus the mapping's custom (`__c`) targets of
   `target_object` (a lookup as `ref__<Field>`): fails with the columns missing or extra. #}
{% test columns_match_mapping(model, target_object) %}
with expected as (
    select distinct
        case when source_type = 'lookup' then 'ref__' || target_field else target_field end as column_name
    from {{ ref('stg_mapping__fields') }}
    where target_object = '{{ target_object }}' and target_field like '%\_\_c' escape '\'
    union
    select 'Stames_Id__c'
),

actual as (
    select column_name
    from information_schema.columns
    where table_schema = '{{ model.schema }}' and table_name = '{{ model.identifier }}'
)

select coalesce(expected.column_name, actual.column_name) as column_name,
       case when actual.column_name is null then 'missing' else 'extra' end as problem
from expected
full outer join actual on actual.column_name = expected.column_name
where expected.column_name is null or actual.column_name is null
{% endtest %}
