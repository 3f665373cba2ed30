with source as (select * from {{ source('raw_stames', 'custom_fields') }}),

account as ({{ stames_account_clock() }}),

renamed as (
    select
        -- ids
        id as field_id,
        _dlt_id as dlt_id,
        -- strings
        object_type,
        key,
        label,
        type as field_type,
        lookup__target,
        lookup__object_key,
        -- booleans
        coalesce(required, false) as is_required,
        coalesce(active, false) as is_active,
        -- timestamps
        {{ stames_timestamp('created_at') }} as created_at,
        {{ stames_timestamp('updated_at') }} as updated_at
    from source
    cross join account
)

select * from renamed
