-- depends_on: {{ ref('stg_mapping__value_maps') }}
{# One Case per synced ticket: the standard Case fields the mapping feeds (value maps applied),
   resolved parents and owner. The org-specific custom fields are in
   sync_salesforce__case_custom_fields (same Stames_Id__c). #}
with cases as (
    select * from {{ ref('int_cases_synced') }}
)

select
    cast(id as varchar) as "Stames_Id__c",
    {{ cut_text("cast(" ~ mapped('Case.Subject', 'cases') ~ " as varchar)", salesforce_limit('Case.Subject')) }} as "Subject",
    {{ cut_text("cast(" ~ mapped('Case.Description', 'cases') ~ " as varchar)", salesforce_limit('Case.Description')) }} as "Description",
    cast({{ mapped('Case.Status', 'cases') }} as varchar) as "Status",
    cast({{ mapped('Case.Priority', 'cases') }} as varchar) as "Priority",
    cast({{ mapped('Case.Origin', 'cases') }} as varchar) as "Origin",
    cast({{ mapped('Case.SuppliedName', 'cases') }} as varchar) as "SuppliedName",
    cast(nullif(trim({{ fold_fullwidth(mapped('Case.SuppliedEmail', 'cases')) }}), '') as varchar) as "SuppliedEmail",
    cast(owner_id as varchar) as "OwnerId",
    cast(contact_customer_id as varchar) as "ref__ContactId",
    cast(account_stames_id as varchar) as "ref__AccountId",
    cast(parent_ticket_id as varchar) as "ref__ParentId",
    cast({{ mapped('Case.CreatedDate', 'cases') }} as timestamp) as "CreatedDate",
    cast({{ mapped('Case.LastModifiedDate', 'cases') }} as timestamp) as "LastModifiedDate",
    cast(created_at_raw as varchar) as stames__created_at_raw,
    cast(owner_agent_id as bigint) as stames__assignee_id
from cases
