-- depends_on: {{ ref('stg_mapping__value_maps') }}
{# One Contact per surviving customer. The mapped name is split at its last space: the last word
   is LastName (required), the words before it FirstName; a customer without a name is
   `Customer <id>`. #}
{#- `[^\n]` and `\z`, not `.` and `$`: Java's stop at \r, U+0085, U+2028 and U+2029 too, RE2's
    only at \n and the end, and the patterns must mean the same on both engines. -#}
{%- set words_before_last %}^([^\n]*) [^ ]+\z{% endset -%}
{%- set last_word %}([^ ]+)\z{% endset %}
with contacts as (
    select * from {{ ref('int_customers_contacts') }}
),

named as (
    select
        *,
        nullif(trim({{ mapped('Contact.LastName', 'contacts') }}), '') as full_name
    from contacts
)

select
    cast(customer_id as string) as Stames_Id__c,
    cast(case when contains(full_name, ' ') then regexp_extract(full_name, {{ literal(words_before_last) }}, 1) end as string) as FirstName,
    cast(coalesce(regexp_extract(full_name, {{ literal(last_word) }}, 1), 'Customer ' || customer_id) as string) as LastName,
    cast({{ mapped('Contact.Email', 'named') }} as string) as Email,
    cast({{ mapped('Contact.Phone', 'named') }} as string) as Phone,
    cast(account_stames_id as string) as ref__AccountId,
    cast({{ mapped('Contact.CreatedDate', 'named') }} as timestamp) as CreatedDate,
    cast({{ mapped('Contact.LastModifiedDate', 'named') }} as timestamp) as LastModifiedDate,
    cast(merged_customers as integer) as stames__merged_customers
from named
